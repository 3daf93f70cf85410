{{- define "custops-lib.svc" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "custops-lib.fullname" . }}
  labels:
    {{- include "custops-lib.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "custops-lib.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
{{- end -}}
