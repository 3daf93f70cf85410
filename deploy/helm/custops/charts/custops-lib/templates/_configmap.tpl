{{/* The service's non-secret settings, as environment variables Quarkus maps onto its configuration. */}}
{{- define "custops-lib.configmap" -}}
{{- $g := .Values.global -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "custops-lib.fullname" . }}
  labels:
    {{- include "custops-lib.labels" . | nindent 4 }}
data:
  QUARKUS_HTTP_PORT: "8080"
  KAFKA_BOOTSTRAP_SERVERS: {{ required "global.kafka.bootstrapServers is required" $g.kafka.bootstrapServers | quote }}
  {{- if ne $g.kafka.securityProtocol "PLAINTEXT" }}
  KAFKA_SECURITY_PROTOCOL: {{ $g.kafka.securityProtocol | quote }}
  {{- if $g.kafka.saslMechanism }}
  KAFKA_SASL_MECHANISM: {{ $g.kafka.saslMechanism | quote }}
  {{- end }}
  {{- end }}
  QUARKUS_OIDC_AUTH_SERVER_URL: {{ required "global.oidc.issuer is required" $g.oidc.issuer | quote }}
  QUARKUS_OIDC_TOKEN_AUDIENCE: {{ $g.oidc.audience | quote }}
  CUSTOPS_DB_HOST: {{ required "global.database.host is required" $g.database.host | quote }}
  CUSTOPS_DB_PORT: {{ $g.database.port | quote }}
  CUSTOPS_DB_NAME: {{ .Values.database.name | quote }}
  CUSTOPS_DB_SSL_MODE: {{ $g.database.sslMode | quote }}
  QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE: {{ .Values.database.poolSize | quote }}
  {{- if $g.otel.endpoint }}
  QUARKUS_OTEL_SDK_DISABLED: "false"
  QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT: {{ $g.otel.endpoint | quote }}
  {{- end }}
  QUARKUS_HTTP_CORS_ORIGINS: {{ join "," $g.cors.origins | quote }}
  JAVA_OPTS_APPEND: {{ .Values.javaOpts | quote }}
  {{- if .Values.persistence.enabled }}
  {{ .Values.persistence.env }}: {{ .Values.persistence.mountPath | quote }}
  {{- end }}
  {{- range $name, $value := .Values.env }}
  {{ $name }}: {{ tpl (toString $value) $ | quote }}
  {{- end }}
{{- end -}}
