{{- define "custops-lib.servicemonitor" -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "custops-lib.fullname" . }}
  labels:
    {{- include "custops-lib.labels" . | nindent 4 }}
    {{- with .Values.global.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "custops-lib.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: http
      path: /q/metrics
      interval: {{ .Values.global.serviceMonitor.interval }}
{{- end -}}

{{/*
Ingress only from the gateway's pods, the other CustOps services and the monitoring namespace; egress is left to
the cluster's policy because PostgreSQL, Kafka and Keycloak are external.
*/}}
{{- define "custops-lib.networkpolicy" -}}
{{- $np := .Values.global.networkPolicy -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "custops-lib.fullname" . }}
  labels:
    {{- include "custops-lib.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "custops-lib.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/part-of: custops
              app.kubernetes.io/instance: {{ .Release.Name }}
        {{- with $np.gatewayNamespaceSelector }}
        - namespaceSelector:
            matchLabels:
              {{- toYaml . | nindent 14 }}
        {{- end }}
        {{- with $np.monitoringNamespaceSelector }}
        - namespaceSelector:
            matchLabels:
              {{- toYaml . | nindent 14 }}
        {{- end }}
        {{- with $np.extraFrom }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      ports:
        - port: http
          protocol: TCP
{{- end -}}
