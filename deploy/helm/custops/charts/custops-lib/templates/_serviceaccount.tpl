{{- define "custops-lib.serviceaccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "custops-lib.fullname" . }}
  labels:
    {{- include "custops-lib.labels" . | nindent 4 }}
automountServiceAccountToken: false
{{- end -}}
