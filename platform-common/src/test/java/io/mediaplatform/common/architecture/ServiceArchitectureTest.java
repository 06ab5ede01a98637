package io.mediaplatform.common.architecture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceArchitectureTest {

    @Test
    void an_adapter_package_belongs_to_the_capability_under_the_service() {
        // Given adapter packages of two services, When their capability is asked, Then it is service.capability
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.ingest.media.web")).contains("ingest.media");
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.callback.status")).contains("callback.status");
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.dispatch.whatsapp")).contains("dispatch.whatsapp");
    }

    @Test
    void cores_wiring_shared_helpers_and_other_modules_are_no_adapter() {
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.ingest.media.core")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.ingest.core")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.dispatch.config")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.callback.support")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.callback")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("io.mediaplatform.common.kafka")).isEmpty();
        assertThat(ServiceArchitecture.adapterCapability("org.springframework.kafka.core")).isEmpty();
    }
}
