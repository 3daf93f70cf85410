{{/* The service's resource name: <release>-<chart>, unless fullnameOverride is set. */}}
{{- define "custops-lib.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selector labels: stable for the life of a release. */}}
{{- define "custops-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "custops-lib.labels" -}}
{{ include "custops-lib.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: service
app.kubernetes.io/part-of: custops
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* registry/repository:tag; the tag defaults to the chart's appVersion, the registry to the global one. */}}
{{- define "custops-lib.image" -}}
{{- $registry := .Values.image.registry | default .Values.global.image.registry -}}
{{- $tag := .Values.image.tag | default .Values.global.image.tag | default .Chart.AppVersion -}}
{{- if $registry -}}
{{- printf "%s/%s:%s" $registry .Values.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* Everything a service chart renders. */}}
{{- define "custops-lib.service" -}}
{{ include "custops-lib.serviceaccount" . }}
---
{{ include "custops-lib.configmap" . }}
---
{{ include "custops-lib.deployment" . }}
---
{{ include "custops-lib.svc" . }}
{{- if .Values.autoscaling.enabled }}
---
{{ include "custops-lib.hpa" . }}
{{- end }}
{{- if .Values.podDisruptionBudget.enabled }}
---
{{ include "custops-lib.pdb" . }}
{{- end }}
{{- if .Values.global.serviceMonitor.enabled }}
---
{{ include "custops-lib.servicemonitor" . }}
{{- end }}
{{- if .Values.global.networkPolicy.enabled }}
---
{{ include "custops-lib.networkpolicy" . }}
{{- end }}
{{- end -}}

{{/*
Renders a service chart: its own values over global.serviceDefaults (deep-merged, so a service overrides a single
field), with the global values alongside.
*/}}
{{- define "custops-lib.render" -}}
{{- $values := mergeOverwrite (deepCopy .Values.global.serviceDefaults) (omit .Values "global") -}}
{{- $_ := set $values "global" .Values.global -}}
{{- include "custops-lib.service" (dict "Values" $values "Chart" .Chart "Release" .Release "Template" .Template "Capabilities" .Capabilities) -}}
{{- end -}}
