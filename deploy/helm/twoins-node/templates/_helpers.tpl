{{- define "twoins-node.name" -}}twoins-node{{- end -}}

{{- define "twoins-node.fullname" -}}
{{- printf "twoins-node-%s" .Values.region | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "twoins-node.labels" -}}
app.kubernetes.io/name: twoins-node
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
twoins.network/region: {{ .Values.region }}
{{- end -}}

{{- define "twoins-node.selector" -}}
app.kubernetes.io/name: twoins-node
app.kubernetes.io/instance: {{ .Release.Name }}
twoins.network/region: {{ .Values.region }}
{{- end -}}

{{- define "twoins-node.leafName" -}}
{{- printf "twoins-leaf-%s" .Values.region | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The region's NATS password variable, as the servers' configs name it. */}}
{{- define "twoins-node.passwordVariable" -}}
{{- printf "TWOINS_NATS_%s_PASSWORD" (.Values.region | upper | replace "-" "_") -}}
{{- end -}}

{{/* The password variable of the leaf's own operations user. */}}
{{- define "twoins-node.opsPasswordVariable" -}}
{{- printf "TWOINS_NATS_OPS_%s_PASSWORD" (.Values.region | upper | replace "-" "_") -}}
{{- end -}}
