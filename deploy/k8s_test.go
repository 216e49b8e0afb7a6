package deploy

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	k8syaml "sigs.k8s.io/yaml"

	"chuyenhoa/cmd/chuyenhoa/config"
)

type k8sSet struct {
	Namespace  *corev1.Namespace
	ConfigMap  *corev1.ConfigMap
	Secret     *corev1.Secret
	PVC        *corev1.PersistentVolumeClaim
	Deployment *appsv1.Deployment
	Service    *corev1.Service
	Ingress    *networkingv1.Ingress
	PDB        *policyv1.PodDisruptionBudget
	HPA        *autoscalingv2.HorizontalPodAutoscaler
	Job        *batchv1.Job
	// file of each object, by kind
	file map[string]string
	// namespace of each object, by kind
	ns map[string]string
}

// mustK8s decodes every manifest of deploy/k8s strictly (unknown fields are
// errors) into its Kubernetes API type.
func mustK8s(tb testing.TB) *k8sSet {
	tb.Helper()
	files, err := filepath.Glob("k8s/*.yaml")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no manifests in deploy/k8s: %v", err)
	}
	s := &k8sSet{file: map[string]string{}, ns: map[string]string{}}
	for _, file := range files {
		if filepath.Base(file) == "kustomization.yaml" {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			tb.Fatal(err)
		}
		for _, doc := range regexp.MustCompile(`(?m)^---\s*$`).Split(string(data), -1) {
			if strings.TrimSpace(regexp.MustCompile(`(?m)^\s*#.*$`).ReplaceAllString(doc, "")) == "" {
				continue
			}
			var meta struct {
				APIVersion string `json:"apiVersion"`
				Kind       string `json:"kind"`
				Metadata   struct {
					Namespace string `json:"namespace"`
				} `json:"metadata"`
			}
			if err := k8syaml.Unmarshal([]byte(doc), &meta); err != nil {
				tb.Fatalf("%s: %v", file, err)
			}
			var obj any
			switch meta.APIVersion + " " + meta.Kind {
			case "v1 Namespace":
				s.Namespace = new(corev1.Namespace)
				obj = s.Namespace
			case "v1 ConfigMap":
				s.ConfigMap = new(corev1.ConfigMap)
				obj = s.ConfigMap
			case "v1 Secret":
				s.Secret = new(corev1.Secret)
				obj = s.Secret
			case "v1 PersistentVolumeClaim":
				s.PVC = new(corev1.PersistentVolumeClaim)
				obj = s.PVC
			case "apps/v1 Deployment":
				s.Deployment = new(appsv1.Deployment)
				obj = s.Deployment
			case "v1 Service":
				s.Service = new(corev1.Service)
				obj = s.Service
			case "networking.k8s.io/v1 Ingress":
				s.Ingress = new(networkingv1.Ingress)
				obj = s.Ingress
			case "policy/v1 PodDisruptionBudget":
				s.PDB = new(policyv1.PodDisruptionBudget)
				obj = s.PDB
			case "autoscaling/v2 HorizontalPodAutoscaler":
				s.HPA = new(autoscalingv2.HorizontalPodAutoscaler)
				obj = s.HPA
			case "batch/v1 Job":
				s.Job = new(batchv1.Job)
				obj = s.Job
			default:
				tb.Fatalf("%s: unexpected object %s %s (add it to mustK8s)", file, meta.APIVersion, meta.Kind)
			}
			if prev, ok := s.file[meta.Kind]; ok {
				tb.Fatalf("%s: a second %s (first in %s)", file, meta.Kind, prev)
			}
			if err := k8syaml.UnmarshalStrict([]byte(doc), obj); err != nil {
				tb.Fatalf("%s: %s: %v", file, meta.Kind, err)
			}
			s.file[meta.Kind] = file
			s.ns[meta.Kind] = meta.Metadata.Namespace
		}
	}
	for _, kind := range []string{"Namespace", "ConfigMap", "Secret", "PersistentVolumeClaim", "Deployment", "Service", "Ingress", "PodDisruptionBudget", "HorizontalPodAutoscaler", "Job"} {
		if _, ok := s.file[kind]; !ok {
			tb.Errorf("deploy/k8s has no %s", kind)
		}
	}
	if tb.Failed() {
		tb.FailNow()
	}
	return s
}

func subset(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

func TestKubernetes(t *testing.T) {
	k := mustK8s(t)
	d := k.Deployment
	pod := d.Spec.Template
	if len(pod.Spec.Containers) != 1 {
		t.Fatalf("Deployment has %d containers, want 1", len(pod.Spec.Containers))
	}
	c := pod.Spec.Containers[0]

	t.Run("namespace", func(t *testing.T) {
		for kind, ns := range k.ns {
			if kind != "Namespace" && ns != k.Namespace.Name {
				t.Errorf("%s %s is in namespace %q, want %q", kind, k.file[kind], ns, k.Namespace.Name)
			}
		}
	})

	t.Run("deployment", func(t *testing.T) {
		if d.Spec.Replicas == nil || *d.Spec.Replicas < 2 {
			t.Errorf("replicas = %v, want ≥ 2", d.Spec.Replicas)
		}
		if !subset(d.Spec.Selector.MatchLabels, pod.Labels) {
			t.Errorf("selector %v does not match the pod labels %v", d.Spec.Selector.MatchLabels, pod.Labels)
		}
		if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
			t.Errorf("rolling update %+v, want maxUnavailable 0", ru)
		}
		if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" {
			t.Errorf("readiness probe %+v, want GET /readyz", c.ReadinessProbe)
		}
		// Liveness must not follow the database: an outage would restart
		// every pod for nothing.
		if c.LivenessProbe == nil || c.LivenessProbe.HTTPGet == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" {
			t.Errorf("liveness probe %+v, want GET /healthz", c.LivenessProbe)
		}
		for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
			if q, ok := c.Resources.Requests[r]; !ok || q.IsZero() {
				t.Errorf("no %s request", r)
			}
			if q, ok := c.Resources.Limits[r]; !ok || q.IsZero() {
				t.Errorf("no %s limit", r)
			}
		}
		checkSecurity(t, pod.Spec, c)
		// The probes' named port is the container port CHUYENHOA_ADDR listens on.
		_, addrPort, _ := net.SplitHostPort(k.ConfigMap.Data["CHUYENHOA_ADDR"])
		for _, p := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
			if p == nil || p.HTTPGet == nil {
				continue
			}
			if got := containerPort(c, p.HTTPGet.Port.String()); strconv.Itoa(int(got)) != addrPort {
				t.Errorf("probe %s on port %s (%d), but CHUYENHOA_ADDR listens on %s", p.HTTPGet.Path, p.HTTPGet.Port.String(), got, addrPort)
			}
		}
		grace := durationSeconds(t, k.ConfigMap.Data["CHUYENHOA_SHUTDOWN_TIMEOUT"])
		if p := pod.Spec.TerminationGracePeriodSeconds; p == nil || *p <= grace {
			t.Errorf("terminationGracePeriodSeconds must exceed CHUYENHOA_SHUTDOWN_TIMEOUT (%ds) so requests drain", grace)
		}
		checkEnvFrom(t, k, c)
		mounts := map[string]string{} // volume → path
		paths := map[string]bool{}
		for _, m := range c.VolumeMounts {
			mounts[m.Name] = m.MountPath
			paths[m.MountPath] = true
		}
		var claim string
		for _, v := range pod.Spec.Volumes {
			if v.PersistentVolumeClaim != nil && mounts[v.Name] == k.ConfigMap.Data["CHUYENHOA_DATA_DIR"] {
				claim = v.PersistentVolumeClaim.ClaimName
			}
		}
		if claim != k.PVC.Name {
			t.Errorf("CHUYENHOA_DATA_DIR %s is not mounted from the claim %s", k.ConfigMap.Data["CHUYENHOA_DATA_DIR"], k.PVC.Name)
		}
		if !slices.Contains(k.PVC.Spec.AccessModes, corev1.ReadWriteMany) {
			t.Errorf("claim access modes %v: replicas on several nodes share attachments, want ReadWriteMany", k.PVC.Spec.AccessModes)
		}
		if !paths["/tmp"] {
			t.Errorf("no writable /tmp under a read-only root filesystem")
		}
	})

	t.Run("migrate job", func(t *testing.T) {
		j := k.Job.Spec.Template.Spec
		if len(j.Containers) != 1 {
			t.Fatalf("Job has %d containers", len(j.Containers))
		}
		jc := j.Containers[0]
		if got, want := strings.Join(append(jc.Command, jc.Args...), " "), "migrate up"; got != want {
			t.Errorf("Job runs %q, want %q", got, want)
		}
		if jc.Image != c.Image {
			t.Errorf("Job image %s differs from the Deployment's %s", jc.Image, c.Image)
		}
		if j.RestartPolicy != corev1.RestartPolicyNever && j.RestartPolicy != corev1.RestartPolicyOnFailure {
			t.Errorf("Job restartPolicy %q", j.RestartPolicy)
		}
		checkSecurity(t, j, jc)
		checkEnvFrom(t, k, jc)
		if k.ConfigMap.Data["CHUYENHOA_MIGRATE_ON_START"] != "false" {
			t.Errorf("CHUYENHOA_MIGRATE_ON_START = %q in the ConfigMap, want false: the Job migrates", k.ConfigMap.Data["CHUYENHOA_MIGRATE_ON_START"])
		}
	})

	t.Run("service and ingress", func(t *testing.T) {
		if !subset(k.Service.Spec.Selector, pod.Labels) {
			t.Errorf("Service selector %v does not match the pods %v", k.Service.Spec.Selector, pod.Labels)
		}
		ports := map[string]bool{}
		for _, p := range k.Service.Spec.Ports {
			ports[p.Name] = true
			if containerPort(c, p.TargetPort.String()) == 0 {
				t.Errorf("Service port %s targets %s, which the container does not expose", p.Name, p.TargetPort.String())
			}
		}
		for _, r := range k.Ingress.Spec.Rules {
			for _, p := range r.HTTP.Paths {
				b := p.Backend.Service
				if b == nil || b.Name != k.Service.Name || !ports[b.Port.Name] {
					t.Errorf("Ingress %s%s goes to %+v, want Service %s on a named port", r.Host, p.Path, b, k.Service.Name)
				}
			}
		}
	})

	t.Run("pdb and hpa", func(t *testing.T) {
		if !subset(k.PDB.Spec.Selector.MatchLabels, pod.Labels) {
			t.Errorf("PodDisruptionBudget selector %v does not match the pods", k.PDB.Spec.Selector.MatchLabels)
		}
		if m := k.PDB.Spec.MinAvailable; m == nil || m.IntValue() < 1 || int32(m.IntValue()) >= *d.Spec.Replicas {
			t.Errorf("PodDisruptionBudget minAvailable %v: want 1 ≤ it < replicas", m)
		}
		ref := k.HPA.Spec.ScaleTargetRef
		if ref.Kind != "Deployment" || ref.Name != d.Name {
			t.Errorf("HPA scales %s %s, want Deployment %s", ref.Kind, ref.Name, d.Name)
		}
		if k.HPA.Spec.MinReplicas == nil || *k.HPA.Spec.MinReplicas < 2 || k.HPA.Spec.MaxReplicas < *k.HPA.Spec.MinReplicas {
			t.Errorf("HPA replicas %v…%d, want min ≥ 2", k.HPA.Spec.MinReplicas, k.HPA.Spec.MaxReplicas)
		}
	})

	t.Run("configuration loads", func(t *testing.T) {
		env := map[string]string{}
		for k, v := range k.ConfigMap.Data {
			env[k] = v
		}
		for k, v := range k.Secret.StringData {
			env[k] = v
		}
		if _, err := config.Load(mapEnv(env)); err != nil {
			t.Errorf("ConfigMap + Secret do not load: %v", err)
		}
		if !strings.HasPrefix(env["CHUYENHOA_DATABASE_URL"], "postgres") {
			t.Errorf("the Secret's CHUYENHOA_DATABASE_URL should be PostgreSQL (replicas cannot share SQLite)")
		}
	})

	t.Run("kustomization", func(t *testing.T) {
		data, err := os.ReadFile("k8s/kustomization.yaml")
		if err != nil {
			t.Fatal(err)
		}
		var kz struct {
			APIVersion string   `json:"apiVersion"`
			Kind       string   `json:"kind"`
			Namespace  string   `json:"namespace"`
			Resources  []string `json:"resources"`
			Images     []struct {
				Name    string `json:"name"`
				NewTag  string `json:"newTag"`
				NewName string `json:"newName"`
			} `json:"images"`
		}
		if err := k8syaml.UnmarshalStrict(data, &kz); err != nil {
			t.Fatalf("kustomization.yaml: %v", err)
		}
		// The Secret template and the Job are applied on their own.
		for kind, file := range k.file {
			listed := slices.Contains(kz.Resources, filepath.Base(file))
			if want := kind != "Secret" && kind != "Job"; listed != want {
				t.Errorf("kustomization lists %s: %v, want %v", file, listed, want)
			}
		}
		for _, r := range kz.Resources {
			if _, err := os.Stat(filepath.Join("k8s", r)); err != nil {
				t.Errorf("kustomization resource %s: %v", r, err)
			}
		}
	})
}

func durationSeconds(tb testing.TB, s string) int64 {
	tb.Helper()
	d, err := time.ParseDuration(s)
	if err != nil {
		tb.Fatalf("duration %q: %v", s, err)
	}
	return int64(d / time.Second)
}

// containerPort resolves a probe or service port (a name or a number)
// against the container's ports; 0 when it names none.
func containerPort(c corev1.Container, port string) int32 {
	for _, p := range c.Ports {
		if p.Name == port || strconv.Itoa(int(p.ContainerPort)) == port {
			return p.ContainerPort
		}
	}
	return 0
}

func checkSecurity(t *testing.T, pod corev1.PodSpec, c corev1.Container) {
	t.Helper()
	nonRoot := func(sc *corev1.PodSecurityContext, csc *corev1.SecurityContext) bool {
		if csc != nil && csc.RunAsNonRoot != nil {
			return *csc.RunAsNonRoot
		}
		return sc != nil && sc.RunAsNonRoot != nil && *sc.RunAsNonRoot
	}
	if !nonRoot(pod.SecurityContext, c.SecurityContext) {
		t.Errorf("%s: runAsNonRoot is not set", c.Name)
	}
	if pod.SecurityContext != nil && pod.SecurityContext.RunAsUser != nil && *pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("%s: runAsUser 0", c.Name)
	}
	sc := c.SecurityContext
	if sc == nil {
		t.Fatalf("%s: no container securityContext", c.Name)
	}
	if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
		t.Errorf("%s: readOnlyRootFilesystem is not true", c.Name)
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Errorf("%s: allowPrivilegeEscalation is not false", c.Name)
	}
	if sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL") || len(sc.Capabilities.Add) > 0 {
		t.Errorf("%s: capabilities %+v, want drop ALL and add none", c.Name, sc.Capabilities)
	}
}

func checkEnvFrom(t *testing.T, k *k8sSet, c corev1.Container) {
	t.Helper()
	var cm, sec bool
	for _, e := range c.EnvFrom {
		if e.ConfigMapRef != nil && e.ConfigMapRef.Name == k.ConfigMap.Name {
			cm = true
		}
		if e.SecretRef != nil && e.SecretRef.Name == k.Secret.Name {
			sec = true
		}
	}
	if !cm || !sec {
		t.Errorf("%s: envFrom does not take both ConfigMap %s and Secret %s", c.Name, k.ConfigMap.Name, k.Secret.Name)
	}
}
