{{/* Labels of every object of the release. */}}
{{- define "gko.labels" -}}
app.kubernetes.io/name: gko
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- with .Values.common.labels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Metadata lines shared by every object: labels and the common annotations. */}}
{{- define "gko.metadata" -}}
labels:
  {{- include "gko.labels" . | nindent 2 }}
{{- with .Values.common.annotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Selector of one workload: "controller" or "webhook". */}}
{{- define "gko.selector" -}}
app.kubernetes.io/name: gko
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
Names of cluster-scoped objects carry the release's namespace and name: installs never clash. They
may be up to 253 characters long, so they are never truncated (truncation could make two equal).
*/}}
{{- define "gko.clusterName" -}}
{{- printf "%s-%s-%s" .root.Release.Namespace .root.Release.Name .suffix -}}
{{- end }}

{{- define "gko.controllerName" -}}
{{- printf "%s-controller" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "gko.webhookName" -}}
{{- printf "%s-webhook" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "gko.serviceAccount" -}}
{{- .Values.serviceAccount.name -}}
{{- end }}

{{- define "gko.webhookServiceAccount" -}}
{{- printf "%s-webhook" .Values.serviceAccount.name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "gko.image" -}}
{{- printf "%s:%s" .Values.manager.image.repository (.Values.manager.image.tag | default .Chart.AppVersion) -}}
{{- end }}

{{/* Watched namespaces: "" for the whole cluster. */}}
{{- define "gko.namespaces" -}}
{{- if not .Values.manager.scope.cluster -}}
{{- .Release.Namespace -}}
{{- else -}}
{{- join "," .Values.manager.scope.namespaces -}}
{{- end -}}
{{- end }}

{{/* The gateway Service whose address goes to the Ingresses' status, as "<namespace>/<name>"; "" when none. */}}
{{- define "gko.ingressPublishService" -}}
{{- with .Values.ingress.status.service.name -}}
{{- printf "%s/%s" ($.Values.ingress.status.service.namespace | default $.Release.Namespace) . -}}
{{- end -}}
{{- end }}

{{/* The IngressClass created: the name given, else the first class handled. */}}
{{- define "gko.ingressClassName" -}}
{{- .Values.ingress.ingressClass.name | default (first .Values.ingress.ingressClasses) -}}
{{- end }}

{{- define "gko.validatingName" -}}
{{- $c := .Values.manager.webhook.configuration -}}
{{- if $c.validatingName -}}
{{- if $c.useAutoUniqueNames }}{{ include "gko.clusterName" (dict "root" . "suffix" $c.validatingName) }}{{ else }}{{ $c.validatingName }}{{ end -}}
{{- else -}}
{{- include "gko.clusterName" (dict "root" . "suffix" "validating") -}}
{{- end -}}
{{- end }}

{{- define "gko.mutatingName" -}}
{{- $c := .Values.manager.webhook.configuration -}}
{{- if $c.mutatingName -}}
{{- if $c.useAutoUniqueNames }}{{ include "gko.clusterName" (dict "root" . "suffix" $c.mutatingName) }}{{ else }}{{ $c.mutatingName }}{{ end -}}
{{- else -}}
{{- include "gko.clusterName" (dict "root" . "suffix" "mutating") -}}
{{- end -}}
{{- end }}

{{/* The serving certificate of cert-manager mode, injected into both configurations. */}}
{{- define "gko.certificateName" -}}
{{- printf "%s-webhook-serving" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "gko.certManager" -}}
{{- if .Values.manager.webhook.cert.certManager.enabled }}true{{ end -}}
{{- end }}

{{/* The pod and container security settings: non-root, read-only, no capabilities, seccomp. */}}
{{- define "gko.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{- define "gko.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
{{- end }}

{{/*
Probes of a workload on its probes port, aimed at listenAddress when one is set. The startup probe
gives the program two minutes to apply CRDs, set up certificates and sync its cache before the
liveness probe may restart it.
*/}}
{{- define "gko.probes" -}}
{{- $host := .root.Values.manager.listenAddress -}}
startupProbe:
  httpGet:
    path: /healthz
    port: {{ .port }}
    {{- if $host }}
    host: {{ $host }}
    {{- end }}
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /healthz
    port: {{ .port }}
    {{- if $host }}
    host: {{ $host }}
    {{- end }}
  periodSeconds: 20
readinessProbe:
  httpGet:
    path: /readyz
    port: {{ .port }}
    {{- if $host }}
    host: {{ $host }}
    {{- end }}
  periodSeconds: 2
  failureThreshold: 3
{{- end }}

{{/* The API server waits for the webhook the HTTP timeout and 5 seconds more, at most 30 (as upstream). */}}
{{- define "gko.webhookTimeout" -}}
{{- min 30 (add .Values.manager.httpClient.timeoutSeconds 5) -}}
{{- end }}

{{/* Environment shared by both workloads: the ConfigMap, and the proxy password Secret when there is one. */}}
{{- define "gko.envFrom" -}}
envFrom:
  - configMapRef:
      name: {{ .Values.manager.configMap.name }}
  {{- if and .Values.manager.httpClient.proxy.enabled .Values.manager.httpClient.proxy.password }}
  - secretRef:
      name: {{ .Values.manager.configMap.name }}-proxy
  {{- end }}
{{- end }}

{{/* Rolls the pods when the settings change. */}}
{{- define "gko.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
{{- end }}

{{/* Pod placement and image pull settings shared by both workloads. */}}
{{- define "gko.podCommon" -}}
{{- with .Values.manager.image.pullSecret.name }}
imagePullSecrets:
  - name: {{ . }}
{{- end }}
{{- with .Values.manager.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.manager.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.manager.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
hostNetwork: {{ .Values.manager.hostNetwork }}
{{- if .Values.manager.hostNetwork }}
dnsPolicy: ClusterFirstWithHostNet
{{- end }}
securityContext:
  {{- include "gko.podSecurityContext" . | nindent 2 }}
terminationGracePeriodSeconds: {{ .Values.manager.terminationGracePeriodSeconds }}
{{- end }}

{{/* Replicas of one workload go to different nodes where there are several. */}}
{{- define "gko.spread" -}}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels:
        {{- include "gko.selector" . | nindent 8 }}
{{- end }}

{{/* Pod metadata of one workload. */}}
{{- define "gko.podMetadata" -}}
labels:
  {{- include "gko.labels" .root | nindent 2 }}
  app.kubernetes.io/component: {{ .component }}
  {{- with .root.Values.manager.labels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  {{- include "gko.checksums" .root | nindent 2 }}
  {{- with .root.Values.common.annotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
  {{- with .root.Values.manager.annotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end }}

{{/*
Binds a set of rules to a service account in the chosen scope: a ClusterRole and ClusterRoleBinding
for the whole cluster; the ClusterRole bound in each listed namespace; or a Role in the release
namespace. Arguments: root, name (suffix), rules, serviceAccount.
*/}}
{{- define "gko.scopedRbac" -}}
{{- $root := .root }}
{{- $scope := $root.Values.manager.scope }}
{{- $clusterName := include "gko.clusterName" (dict "root" $root "suffix" .name) }}
{{- if $scope.cluster }}
{{- if not $root.Values.rbac.skipClusterRoles }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $clusterName }}
  {{- include "gko.metadata" $root | nindent 2 }}
rules:
  {{- toYaml .rules | nindent 2 }}
{{- if not $scope.namespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $clusterName }}
  {{- include "gko.metadata" $root | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $clusterName }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- end }}
{{- range $namespace := $scope.namespaces }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $root.Release.Name }}-{{ $.name }}
  namespace: {{ $namespace }}
  {{- include "gko.metadata" $root | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $clusterName }}
subjects:
  - kind: ServiceAccount
    name: {{ $.serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- else }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ $root.Release.Name }}-{{ .name }}
  namespace: {{ $root.Release.Namespace }}
  {{- include "gko.metadata" $root | nindent 2 }}
rules:
  {{- toYaml .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ $root.Release.Name }}-{{ .name }}
  namespace: {{ $root.Release.Namespace }}
  {{- include "gko.metadata" $root | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ $root.Release.Name }}-{{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ $root.Release.Namespace }}
{{- end }}
{{- end }}

{{/*
A Role and its binding in the release namespace, or in the namespace given. Arguments: root, name,
rules, serviceAccount, and optionally namespace.
*/}}
{{- define "gko.namespacedRbac" }}
{{- $namespace := .namespace | default .root.Release.Namespace }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  namespace: {{ $namespace }}
  {{- include "gko.metadata" .root | nindent 2 }}
rules:
  {{- toYaml .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ .root.Release.Name }}-{{ .name }}
  namespace: {{ $namespace }}
  {{- include "gko.metadata" .root | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ .root.Release.Name }}-{{ .name }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}

{{/* A ClusterRole and its binding, unless cluster roles are skipped. Arguments: root, name, rules, serviceAccount. */}}
{{- define "gko.clusterRbac" -}}
{{- if not .root.Values.rbac.skipClusterRoles }}
{{- $clusterName := include "gko.clusterName" (dict "root" .root "suffix" .name) }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ $clusterName }}
  {{- include "gko.metadata" .root | nindent 2 }}
rules:
  {{- toYaml .rules | nindent 2 }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ $clusterName }}
  {{- include "gko.metadata" .root | nindent 2 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ $clusterName }}
subjects:
  - kind: ServiceAccount
    name: {{ .serviceAccount }}
    namespace: {{ .root.Release.Namespace }}
{{- end }}
{{- end }}
