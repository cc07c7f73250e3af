{{- define "twoins-hub.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "twoins-hub.nats" -}}{{ printf "%s-nats" .Release.Name | trunc 63 }}{{- end -}}

{{- define "twoins-hub.realmUrl" -}}
{{- if .Values.auth.internalRealmUrl -}}{{ .Values.auth.internalRealmUrl }}{{- else -}}{{ printf "http://%s-keycloak:8080/realms/twoins" .Release.Name }}{{- end -}}
{{- end -}}

{{- define "twoins-hub.authEnv" -}}
- name: TWOINS_AUTH_ISSUER
  value: {{ .Values.auth.issuer | required "set auth.issuer" | quote }}
- name: TWOINS_AUTH_JWKS_URL
  value: {{ printf "%s/protocol/openid-connect/certs" (include "twoins-hub.realmUrl" .) | quote }}
{{- end -}}
