package io.mediaplatform.common.security;

import io.mediaplatform.common.web.ProblemException;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controllers the {@link AuthenticatedTenant} of the request. A parameter of type
 * {@code AuthenticatedTenant} is required (401 when absent); {@code Optional<AuthenticatedTenant>} is not
 * supported: use {@link #current(NativeWebRequest)} on public paths.
 */
public class TenantArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return AuthenticatedTenant.class.equals(parameter.getParameterType());
    }

    @Override
    public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                  NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        AuthenticatedTenant tenant = current(webRequest);
        if (tenant == null) {
            throw ProblemException.unauthorized("Missing API key: send Authorization: Bearer <key>");
        }
        return tenant;
    }

    /** The request's tenant, or null on a public path called without a key. */
    public static AuthenticatedTenant current(NativeWebRequest request) {
        return (AuthenticatedTenant) request.getAttribute(ApiKeyFilter.TENANT_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
    }
}
