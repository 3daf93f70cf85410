package io.custops.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/**
 * The umbrella chart linted and rendered with its default values, a minimal and a production values file (through
 * helm-java: the Helm library itself, no CLI), and the manifests checked the way a platform team's review would.
 */
class HelmChartTest {
    private static final Path HELM = Path.of(System.getProperty("custops.root", "../.."), "deploy", "helm");
    private static final Path CHART = HELM.resolve("custops");
    private static final Path ROUTE_TABLE = HELM.resolve("../local/src/main/resources/gateway-routes.json");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("customer-profile-service", "segmentation-service", "campaign-service",
            "community-service", "evaluation-service");
    private static final List<Path> COPIES = new ArrayList<>();

    @AfterAll
    static void cleanUp() throws IOException {
        for (Path copy : COPIES) {
            try (Stream<Path> files = Files.walk(copy)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "minimal.yaml", "production.yaml" })
    void theChartLintsCleanly(String valuesFile) {
        LintResult lint = new Helm(chart(valuesFile, Map.of())).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "minimal.yaml", "production.yaml" })
    void everyDeploymentHasProbesLimitsAndRunsAsNonRootReadOnlyWithoutCapabilities(String valuesFile) {
        List<JsonNode> manifests = render(valuesFile, Map.of());
        List<JsonNode> deployments = kind(manifests, "Deployment");
        assertThat(deployments).hasSize(SERVICES.size());
        for (JsonNode deployment : deployments) {
            String name = deployment.at("/metadata/name").asText();
            JsonNode pod = deployment.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).as(name).isPositive();
            assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
            for (JsonNode container : pod.path("containers")) {
                assertThat(container.at("/startupProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/started");
                assertThat(container.at("/readinessProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/ready");
                assertThat(container.at("/livenessProbe/httpGet/path").asText()).as(name).isEqualTo("/q/health/live");
                for (String resource : List.of("/resources/limits/cpu", "/resources/limits/memory", "/resources/requests/cpu",
                        "/resources/requests/memory")) {
                    assertThat(container.at(resource).asText()).as(name + resource).isNotBlank();
                }
                assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
                assertThat(container.at("/securityContext/capabilities/drop").toString()).as(name).contains("ALL");
                assertThat(container.at("/image").asText()).as(name).matches("[^/]+/custops/[a-z-]+-service:.+");
                for (JsonNode env : container.path("env")) {
                    // credentials only ever come from Secrets by reference
                    assertThat(env.has("value")).as(name + " " + env.path("name").asText()).isFalse();
                    assertThat(env.at("/valueFrom/secretKeyRef/name").asText()).as(name).isNotBlank();
                }
            }
            assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).as(name).isZero();
        }
        for (JsonNode config : kind(manifests, "ConfigMap")) {
            assertThat(config.path("data").properties().stream().map(Map.Entry::getKey))
                    .noneMatch(key -> key.contains("PASSWORD") || key.contains("SECRET") || key.endsWith("_TOKEN"));
        }
        for (JsonNode secret : kind(manifests, "Secret")) {
            assertThat(secret.has("data") || secret.has("stringData")).as("a Secret carrying data").isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "minimal.yaml", "production.yaml" })
    void everyPrefixOfTheLocalGatewayIsRoutedToItsServicesPort(String valuesFile) throws IOException {
        List<JsonNode> manifests = render(valuesFile, Map.of());
        Map<String, String> expected = new HashMap<>();
        for (JsonNode route : JSON.readTree(ROUTE_TABLE.toFile())) {
            expected.put(route.path("prefix").asText(), route.path("service").asText());
        }
        Map<String, String> routed = new HashMap<>();
        for (JsonNode route : kind(manifests, "HTTPRoute")) {
            for (JsonNode rule : route.at("/spec/rules")) {
                assertThat(rule.at("/matches/0/path/type").asText()).isEqualTo("PathPrefix");
                JsonNode backend = rule.at("/backendRefs/0");
                String prefix = rule.at("/matches/0/path/value").asText();
                assertThat(routed.put(prefix, backend.path("name").asText())).as("routed twice: " + prefix).isNull();
                JsonNode service = named(manifests, "Service", backend.path("name").asText());
                assertThat(service.at("/spec/ports").findValuesAsText("port")).contains(String.valueOf(backend.path("port").asInt()));
                JsonNode port = service.at("/spec/ports/0");
                assertThat(port.path("targetPort").asText()).isEqualTo("http");
                JsonNode deployment = named(manifests, "Deployment", backend.path("name").asText());
                assertThat(deployment.at("/spec/template/spec/containers/0/ports/0/name").asText()).isEqualTo("http");
                assertThat(deployment.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
            }
        }
        Map<String, String> expectedBackends = new HashMap<>();
        expected.forEach((prefix, service) -> expectedBackends.put(prefix, "custops-" + service));
        assertThat(routed).isEqualTo(expectedBackends);
    }

    @Test
    void productionValuesScaleSpreadMonitorAndCreateTheTopics() {
        List<JsonNode> manifests = render("production.yaml", Map.of());
        assertThat(kind(manifests, "HorizontalPodAutoscaler")).hasSize(SERVICES.size())
                .allSatisfy(hpa -> assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3));
        assertThat(kind(manifests, "Deployment")).allSatisfy(d -> assertThat(d.at("/spec/replicas").isMissingNode()).isTrue());
        assertThat(kind(manifests, "PodDisruptionBudget")).hasSize(SERVICES.size());
        assertThat(kind(manifests, "ServiceMonitor")).hasSize(SERVICES.size())
                .allSatisfy(m -> assertThat(m.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics"));
        assertThat(kind(manifests, "NetworkPolicy")).hasSize(SERVICES.size());
        JsonNode profile = named(manifests, "Deployment", "custops-customer-profile-service");
        assertThat(profile.at("/spec/template/spec/topologySpreadConstraints/1/whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
        assertThat(profile.at("/spec/template/spec/volumes").findValuesAsText("claimName")).containsExactly("custops-imports");
        assertThat(named(manifests, "ConfigMap", "custops-customer-profile-service").at("/data/CUSTOPS_IMPORTS_DIRECTORY").asText())
                .isEqualTo("/var/lib/custops/imports");
        JsonNode campaign = named(manifests, "Deployment", "custops-campaign-service");
        assertThat(campaign.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("3Gi");
        assertThat(campaign.at("/spec/template/spec/containers/0/env").findValuesAsText("name")).contains("KAFKA_SASL_JAAS_CONFIG",
                "CUSTOPS_TRACKING_SECRET", "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET");
        JsonNode campaignConfig = named(manifests, "ConfigMap", "custops-campaign-service").path("data");
        assertThat(campaignConfig.path("CUSTOPS_PROFILE_API_URL").asText()).isEqualTo("http://custops-customer-profile-service");
        assertThat(campaignConfig.path("CUSTOPS_TRACKING_BASE_URL").asText()).isEqualTo("https://customers.example.com");
        assertThat(campaignConfig.path("QUARKUS_MAILER_HOST").asText()).isEqualTo("smtp.mailrelay.example.com");
        assertThat(campaignConfig.path("QUARKUS_MAILER_PORT").asText()).isEqualTo("587");
        assertThat(campaignConfig.path("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(campaignConfig.path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText()).startsWith("http://otel-collector");
        assertThat(campaign.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("registry.example.com/custops/campaign-service:0.1.0");

        JsonNode gateway = kind(manifests, "Gateway").get(0);
        assertThat(gateway.at("/spec/listeners").findValuesAsText("protocol")).containsExactly("HTTP", "HTTPS");
        assertThat(gateway.at("/spec/listeners/1/tls/certificateRefs/0/name").asText()).isEqualTo("customers-example-com-tls");

        List<JsonNode> topics = kind(manifests, "KafkaTopic");
        Set<String> names = new HashSet<>();
        for (JsonNode topic : topics) {
            names.add(topic.at("/spec/topicName").asText());
            assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("custops-kafka");
            assertThat(topic.at("/spec/config/retention.ms").asLong()).isPositive();
        }
        assertThat(names).containsExactlyInAnyOrder("custops.profile.v1", "custops.activity.v1", "custops.segmentation.v1",
                "custops.campaign.v1", "custops.community.v1", "custops.evaluation.v1", "custops.profile.v1.dlq", "custops.activity.v1.dlq",
                "custops.segmentation.v1.dlq", "custops.campaign.v1.dlq", "custops.community.v1.dlq", "custops.evaluation.v1.dlq");
    }

    @Test
    void minimalValuesRunOnePodEachBehindAnExistingGateway() {
        List<JsonNode> manifests = render("minimal.yaml", Map.of());
        assertThat(kind(manifests, "Deployment")).allSatisfy(d -> assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1));
        assertThat(kind(manifests, "PodDisruptionBudget")).isEmpty();
        assertThat(kind(manifests, "NetworkPolicy")).isEmpty();
        assertThat(kind(manifests, "Gateway")).isEmpty();
        assertThat(kind(manifests, "HTTPRoute")).allSatisfy(r -> {
            assertThat(r.at("/spec/parentRefs/0/name").asText()).isEqualTo("shared-gateway");
            assertThat(r.at("/spec/parentRefs/0/namespace").asText()).isEqualTo("gateway-system");
        });
        assertThat(named(manifests, "ConfigMap", "custops-segmentation-service").at("/data/CUSTOPS_DB_SSL_MODE")
                .asText()).isEqualTo("disable");
    }

    @Test
    void clustersWithoutTheGatewayApiGetAnIngressWithEveryPrefix() throws IOException {
        List<JsonNode> manifests = render("", Map.of("gateway", Map.of("enabled", false), "ingress", Map.of("enabled", true)));
        assertThat(kind(manifests, "HTTPRoute")).isEmpty();
        List<JsonNode> ingresses = kind(manifests, "Ingress");
        assertThat(ingresses).hasSize(1);
        List<String> paths = ingresses.get(0).at("/spec/rules/0/http/paths").findValuesAsText("path");
        List<String> expected = new ArrayList<>();
        JSON.readTree(ROUTE_TABLE.toFile()).forEach(r -> expected.add(r.path("prefix").asText()));
        assertThat(paths).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aDisabledServiceIsNeitherDeployedNorRouted() {
        List<JsonNode> manifests = render("", Map.of("evaluation-service", Map.of("enabled", false)));
        assertThat(kind(manifests, "Deployment")).hasSize(SERVICES.size() - 1);
        assertThat(kind(manifests, "HTTPRoute").stream().map(r -> r.at("/metadata/name").asText())).doesNotContain("custops-evaluation-service");
    }

    @Test
    void valuesThatBreakTheSchemaAreRefused() {
        assertThatThrownBy(() -> render("", Map.of("global", Map.of("serviceDefaults", Map.of("securityContext", Map.of("runAsUser", 0))))))
                .hasMessageContaining("runAsUser");
        assertThatThrownBy(() -> render("", Map.of("global", Map.of("kafka", Map.of("securityProtocol", "TLS")))))
                .hasMessageContaining("securityProtocol");
        assertThatThrownBy(() -> render("", Map.of("routes", List.of(Map.of("prefix", "api", "service", "billing-service")))))
                .hasMessageContaining("routes");
    }

    /** Maps whose keys are the user's own (settings, labels, topics, resource names): their entries need no comment each. */
    private static final Set<String> FREE_FORM = Set.of("env", "labels", "annotations", "podAnnotations", "nodeSelector", "topics",
            "gatewayNamespaceSelector", "monitoringNamespaceSelector", "requests", "limits");

    @Test
    void everyValueIsDocumentedByTheCommentAboveIt() throws IOException {
        List<Path> files = new ArrayList<>(List.of(CHART.resolve("values.yaml")));
        for (String service : SERVICES) {
            files.add(CHART.resolve("charts").resolve(service).resolve("values.yaml"));
        }
        List<String> undocumented = new ArrayList<>();
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-/]+):.*");
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            java.util.Deque<Map.Entry<Integer, String>> parents = new java.util.ArrayDeque<>();
            String previous = "";
            int listIndent = -1;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                int indent = line.length() - line.stripLeading().length();
                if (trimmed.startsWith("- ")) {
                    listIndent = indent;
                } else if (listIndent >= 0 && indent <= listIndent) {
                    listIndent = -1;
                }
                java.util.regex.Matcher m = key.matcher(line);
                if (m.matches() && !trimmed.startsWith("#")) {
                    while (!parents.isEmpty() && parents.peek().getKey() >= indent) {
                        parents.pop();
                    }
                    boolean free = parents.stream().anyMatch(p -> FREE_FORM.contains(p.getValue()));
                    if (listIndent < 0 && !free && !previous.startsWith("#")) {
                        undocumented.add(HELM.relativize(file) + ":" + (i + 1) + " " + trimmed);
                    }
                    parents.push(Map.entry(indent, m.group(2)));
                }
                previous = trimmed;
            }
        }
        assertThat(undocumented).as("values without a comment above them").isEmpty();
    }

    @Test
    void theChartPullsTheImagesTheBuildMakes() throws IOException {
        Path root = HELM.resolve("../..");
        java.util.Properties platform = new java.util.Properties();
        try (var in = Files.newInputStream(root.resolve("platform/src/main/resources/META-INF/microprofile-config.properties"))) {
            platform.load(in);
        }
        String group = platform.getProperty("quarkus.container-image.group");
        String pom = Files.readString(root.resolve("pom.xml"));
        String version = pom.replaceAll("(?s).*?<artifactId>custops-parent</artifactId>\\s*<version>([^<]+)</version>.*", "$1");
        JsonNode umbrella = YAML.readTree(CHART.resolve("Chart.yaml").toFile());
        assertThat(umbrella.path("appVersion").asText()).isEqualTo(version);
        for (String service : SERVICES) {
            // Jib names an image <registry>/<group>/<application name>:<version>; the application name is the module's
            assertThat(Files.readString(root.resolve(service).resolve("src/main/resources/application.properties")))
                    .contains("quarkus.application.name=" + service);
            JsonNode values = YAML.readTree(CHART.resolve("charts").resolve(service).resolve("values.yaml").toFile());
            assertThat(values.at("/image/repository").asText()).isEqualTo(group + "/" + service);
            assertThat(YAML.readTree(CHART.resolve("charts").resolve(service).resolve("Chart.yaml").toFile()).path("appVersion").asText())
                    .isEqualTo(version);
        }
        JsonNode image = named(render("", Map.of()), "Deployment", "custops-community-service").at("/spec/template/spec/containers/0/image");
        assertThat(image.asText()).isEqualTo("ghcr.io/custops/community-service:" + version);
    }

    private static List<JsonNode> render(String valuesFile, Map<String, Object> overrides) {
        String out = new Helm(chart(valuesFile, overrides)).template().withName("custops").withNamespace("custops").call();
        List<JsonNode> manifests = new ArrayList<>();
        for (String document : out.split("(?m)^---\\s*$")) {
            if (document.isBlank()) {
                continue;
            }
            try {
                JsonNode node = YAML.readTree(document);
                if (node != null && node.has("kind")) {
                    manifests.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("not YAML:\n" + document, e);
            }
        }
        return manifests;
    }

    /**
     * The chart with {@code valuesFile} (from deploy/helm/examples) and {@code overrides} merged over its values the way
     * Helm merges values files (maps deeply, lists replaced), as a copy.
     */
    private static Path chart(String valuesFile, Map<String, Object> overrides) {
        if (valuesFile.isEmpty() && overrides.isEmpty()) {
            return CHART;
        }
        try {
            JsonNode values = YAML.readTree(CHART.resolve("values.yaml").toFile());
            if (!valuesFile.isEmpty()) {
                merge((ObjectNode) values, YAML.readTree(HELM.resolve("examples").resolve(valuesFile).toFile()));
            }
            merge((ObjectNode) values, YAML.valueToTree(overrides));
            Path copy = Files.createTempDirectory("custops-chart");
            COPIES.add(copy);
            Path target = copy.resolve("custops");
            try (Stream<Path> files = Files.walk(CHART)) {
                for (Path source : files.toList()) {
                    Path to = target.resolve(CHART.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(source, to);
                    }
                }
            }
            YAML.writeValue(target.resolve("values.yaml").toFile(), values);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode into, JsonNode from) {
        from.properties().forEach(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode target && e.getValue().isObject()) {
                merge(target, e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    private static List<JsonNode> kind(List<JsonNode> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.path("kind").asText())).toList();
    }

    private static JsonNode named(List<JsonNode> manifests, String kind, String name) {
        return kind(manifests, kind).stream().filter(m -> name.equals(m.at("/metadata/name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }
}
