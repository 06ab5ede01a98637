{{/*
Names, labels and the per-service tables of the media-platform chart.
Service templates are called with a context dict: (dict "root" $ "key" "ingest" "svc" .Values.ingest).
*/}}

{{- define "media-platform.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "media-platform.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "media-platform.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Standard labels (app.kubernetes.io/*) of every resource. Context: the root. */}}
{{- define "media-platform.labels" -}}
helm.sh/chart: {{ include "media-platform.chart" . }}
app.kubernetes.io/name: {{ include "media-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: media-platform
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of the release. Context: the root. */}}
{{- define "media-platform.selectorLabels" -}}
app.kubernetes.io/name: {{ include "media-platform.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Resource name of one service. Context: service dict. */}}
{{- define "media-platform.serviceName" -}}
{{- printf "%s-%s" (include "media-platform.fullname" .root | trunc 50 | trimSuffix "-") .key -}}
{{- end -}}

{{/* Labels of one service's resources. Context: service dict. */}}
{{- define "media-platform.serviceLabels" -}}
{{ include "media-platform.labels" .root }}
app.kubernetes.io/component: {{ .key }}
{{- end -}}

{{- define "media-platform.serviceSelectorLabels" -}}
{{ include "media-platform.selectorLabels" .root }}
app.kubernetes.io/component: {{ .key }}
{{- end -}}

{{/* The services of the chart, in pipeline order. */}}
{{- define "media-platform.serviceKeys" -}}
ingest validation dispatch callback
{{- end -}}

{{/* Maven module (= application name) of a service key. */}}
{{- define "media-platform.module" -}}
{{- $m := dict "ingest" "media-ingest-service" "validation" "media-validation-service" "dispatch" "channel-dispatch-service" "callback" "callback-service" -}}
{{- get $m . -}}
{{- end -}}

{{/* Env var choosing the HTTP port of a service key. */}}
{{- define "media-platform.portEnv" -}}
{{- $m := dict "ingest" "INGEST_PORT" "validation" "VALIDATION_PORT" "dispatch" "DISPATCH_PORT" "callback" "CALLBACK_PORT" -}}
{{- get $m . -}}
{{- end -}}

{{/* Secret env vars each service receives (secretKeyRef only). */}}
{{- define "media-platform.secretEnvNames" -}}
{{- $m := dict
  "ingest" (list "S3_ACCESS_KEY" "S3_SECRET_KEY" "API_KEYS" "LINK_SIGNING_KEY" "DATABASE_PASSWORD" "SCHEMA_REGISTRY_USER_INFO")
  "validation" (list "S3_ACCESS_KEY" "S3_SECRET_KEY" "SCHEMA_REGISTRY_USER_INFO")
  "dispatch" (list "S3_ACCESS_KEY" "S3_SECRET_KEY" "API_KEYS" "LINK_SIGNING_KEY" "WHATSAPP_ACCESS_TOKEN" "WHATSAPP_APP_SECRET" "WHATSAPP_VERIFY_TOKEN" "TWILIO_AUTH_TOKEN" "NOTIFY_API_KEY" "NOTIFY_WEBHOOK_SECRET" "EMAIL_SMTP_PASSWORD" "D360_API_KEY" "FCM_ACCESS_TOKEN" "SCHEMA_REGISTRY_USER_INFO")
  "callback" (list "S3_ACCESS_KEY" "S3_SECRET_KEY" "API_KEYS" "LINK_SIGNING_KEY" "DATABASE_PASSWORD" "WEBHOOK_SECRETS" "WEBHOOK_ENCRYPTION_KEY" "SCHEMA_REGISTRY_USER_INFO") -}}
{{- join " " (get $m .) -}}
{{- end -}}

{{/* Secret env vars a service can start without. */}}
{{- define "media-platform.optionalSecretEnvNames" -}}
SCHEMA_REGISTRY_USER_INFO WEBHOOK_ENCRYPTION_KEY TWILIO_AUTH_TOKEN NOTIFY_API_KEY NOTIFY_WEBHOOK_SECRET EMAIL_SMTP_PASSWORD D360_API_KEY FCM_ACCESS_TOKEN
{{- end -}}

{{/* Name of the Secret a service reads. Context: service dict. */}}
{{- define "media-platform.secretName" -}}
{{- if .svc.existingSecret -}}
{{- .svc.existingSecret -}}
{{- else if .root.Values.secrets.existingSecret -}}
{{- .root.Values.secrets.existingSecret -}}
{{- else -}}
{{- printf "%s-secrets" (include "media-platform.fullname" .root) -}}
{{- end -}}
{{- end -}}

{{/* registry/repository:tag or @digest. Context: dict with image and default tag. */}}
{{- define "media-platform.image" -}}
{{- $repo := .image.repository -}}
{{- if .image.registry -}}{{- $repo = printf "%s/%s" .image.registry .image.repository -}}{{- end -}}
{{- if .image.digest -}}
{{- printf "%s@%s" $repo .image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repo (toString (default .defaultTag .image.tag)) -}}
{{- end -}}
{{- end -}}

{{- define "media-platform.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "media-platform.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* In-cluster URL of ingest, the default of INGEST_PUBLIC_URL. */}}
{{- define "media-platform.ingestPublicUrl" -}}
{{- if .Values.ingestPublicUrl -}}
{{- .Values.ingestPublicUrl -}}
{{- else -}}
{{- printf "http://%s.%s.svc:%v" (include "media-platform.serviceName" (dict "root" . "key" "ingest")) .Release.Namespace .Values.ingest.service.port -}}
{{- end -}}
{{- end -}}

{{/* In-cluster URL of dispatch's Service. */}}
{{- define "media-platform.dispatchServiceUrl" -}}
{{- printf "http://%s.%s.svc:%v" (include "media-platform.serviceName" (dict "root" . "key" "dispatch")) .Release.Namespace .Values.dispatch.service.port -}}
{{- end -}}

{{/* DISPATCH_PUBLIC_URL: dispatchPublicUrl, else the in-cluster URL of dispatch. */}}
{{- define "media-platform.dispatchPublicUrl" -}}
{{- if .Values.dispatchPublicUrl -}}
{{- .Values.dispatchPublicUrl -}}
{{- else -}}
{{- include "media-platform.dispatchServiceUrl" . -}}
{{- end -}}
{{- end -}}

{{/* DISPATCH_INTERNAL_URL of ingest (customers' media are fetched through dispatch): dispatchInternalUrl, else the
in-cluster URL of dispatch, never its public URL. */}}
{{- define "media-platform.dispatchInternalUrl" -}}
{{- if .Values.dispatchInternalUrl -}}
{{- .Values.dispatchInternalUrl -}}
{{- else -}}
{{- include "media-platform.dispatchServiceUrl" . -}}
{{- end -}}
{{- end -}}

{{/* Every topic of the catalogue (schemas/.../Topics.java) with its .dlt twin; "compact" marks the compacted one. */}}
{{- define "media-platform.topics" -}}
message.inbound.v1 message.inbound.v1.dlt ingest.inbound-retry.v1 ingest.inbound-retry.v1.dlt message.send-requested.v1 message.send-requested.v1.dlt media.received.v1 media.received.v1.dlt media.accepted.v1 media.accepted.v1.dlt dispatch.send-retry.v1 dispatch.send-retry.v1.dlt media.rejected.v1 media.rejected.v1.dlt message.status.v1 message.status.v1.dlt inbox.media-settings.v1.dlt message.deleted.v1 message.deleted.v1.dlt
{{- end -}}
{{- define "media-platform.compactedTopics" -}}
inbox.media-settings.v1
{{- end -}}
