package api_test

// Tests of issue 17's reliability items: a database that is down or stuck
// answers 503 unavailable with Retry-After (JSON and page) and the service
// recovers without a restart; bounded metric labels; readiness that a
// Redis outage degrades but does not fail, and that a drain fails; body
// limits per route.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/store"
	"chuyenhoa/store/storetest"
)

// mustPostgresBehindProxy returns a migrated fresh PostgreSQL database
// reached through a storetest.TCPProxy, opened with the serving limits.
func mustPostgresBehindProxy(t *testing.T, lim store.Limits) (*bun.DB, *storetest.TCPProxy) {
	t.Helper()
	dsn := storetest.MustPostgresURL(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p := storetest.NewTCPProxy(t, u.Host)
	u.Host = p.Addr()
	ctx := context.Background()
	db, err := store.OpenWithLimits(ctx, u.String(), lim)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := store.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db, p
}

// mustUnavailable checks a 503 unavailable answer in the JSON error shape
// with Retry-After.
func mustUnavailable(t *testing.T, res response) {
	t.Helper()
	mustError(t, res, http.StatusServiceUnavailable, "unavailable")
	if got := res.Header.Get("Retry-After"); got == "" {
		t.Errorf("503 without Retry-After")
	}
}

// TestDatabaseDown stops PostgreSQL under a running server: the API
// answers 503 unavailable with Retry-After, the pages a friendly
// Vietnamese 503, fast (the connect timeout, not the request timeout), and
// both recover when the database is back, without a restart.
func TestDatabaseDown(t *testing.T) {
	db, proxy := mustPostgresBehindProxy(t, store.Limits{ConnectTimeout: time.Second, StatementTimeout: 2 * time.Second})
	f := mustUIFixture(t, db)
	b := f.browser(t)
	b.login("tinh")
	body, _ := json.Marshal(api.LoginRequest{Username: "tinh", Password: webPassword("tinh")})
	res, err := http.Post(f.ts.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	if login.Token == "" {
		t.Fatalf("login = %d", res.StatusCode)
	}
	api := func(method, path, body string) response {
		t.Helper()
		req, _ := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+login.Token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return response{Status: res.StatusCode, Header: res.Header, Body: b}
	}
	if res := api("GET", "/api/v1/units", ""); res.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/units before the outage = %d %s", res.Status, res.Body)
	}
	if p := b.get("/"); p.Status != http.StatusOK {
		t.Fatalf("GET / before the outage = %d", p.Status)
	}

	proxy.Down()
	t.Run("API answers 503 unavailable", func(t *testing.T) {
		for _, r := range []struct{ method, path, body string }{
			{"GET", "/api/v1/units", ""},
			{"GET", "/api/v1/me", ""},
			{"POST", "/api/v1/units", `{"code":"07801","name":"Xã Mới","kind":"ward","parent_code":"222"}`},
		} {
			start := time.Now()
			res := api(r.method, r.path, r.body)
			mustUnavailable(t, res)
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("%s %s took %s with the database down", r.method, r.path, d)
			}
		}
	})
	t.Run("pages answer a friendly 503", func(t *testing.T) {
		p := b.get("/")
		if p.Status != http.StatusServiceUnavailable {
			t.Fatalf("GET / = %d, want 503\n%s", p.Status, p.Body)
		}
		if p.Header.Get("Retry-After") == "" {
			t.Errorf("page 503 without Retry-After")
		}
		mustContain(t, p, "Hệ thống đang tạm gián đoạn", "vui lòng chờ ít giây")
	})
	t.Run("readyz is unready", func(t *testing.T) {
		res, err := http.Get(f.ts.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz = %d, want 503", res.StatusCode)
		}
	})
	t.Run("pool metrics", func(t *testing.T) {
		res, err := http.Get(f.ts.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, s := range []string{`go_sql_open_connections{db_name="chuyenhoa"}`, `go_sql_wait_count_total{db_name="chuyenhoa"}`, `go_sql_max_open_connections{db_name="chuyenhoa"} 20`} {
			if !bytes.Contains(b, []byte(s)) {
				t.Errorf("/metrics lacks %s", s)
			}
		}
	})

	proxy.Up()
	t.Run("recovers without a restart", func(t *testing.T) {
		deadline := time.Now().Add(10 * time.Second)
		for {
			res := api("GET", "/api/v1/units", "")
			if res.Status == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET /api/v1/units after recovery = %d %s", res.Status, res.Body)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if p := b.get("/"); p.Status != http.StatusOK {
			t.Errorf("GET / after recovery = %d", p.Status)
		}
	})
}

// TestDatabaseBlackHoled makes PostgreSQL stop answering (packets lost):
// a request gives up at the request timeout with 503 unavailable, which
// used to be rewritten to 500, and no later than shortly after it.
func TestDatabaseBlackHoled(t *testing.T) {
	db, proxy := mustPostgresBehindProxy(t, store.Limits{ConnectTimeout: time.Second, StatementTimeout: 2 * time.Second})
	s := newTestServer(t, db, func(o *api.Options) { o.RequestTimeout = 1500 * time.Millisecond })
	admin := s.mustAdmin(t, "quantri")
	if res := admin.do(t, "GET", "/api/v1/units", "", nil); res.Status != http.StatusOK {
		t.Fatalf("before = %d %s", res.Status, res.Body)
	}
	proxy.Blackhole()
	for _, path := range []string{"/api/v1/units", "/api/v1/me"} {
		start := time.Now()
		res := admin.do(t, "GET", path, "", nil)
		d := time.Since(start)
		mustUnavailable(t, res)
		if d > 6*time.Second {
			t.Errorf("GET %s took %s with the database black-holed (request timeout 1.5s)", path, d)
		}
		t.Logf("GET %s black-holed: %d in %s", path, res.Status, d.Round(time.Millisecond))
	}
	proxy.Down()
	proxy.Up()
	waitOK(t, admin)

	// A live pooled connection that stops answering: only the request
	// timeout ends the wait, and its 503 stays a 503.
	proxy.Freeze()
	start := time.Now()
	res := admin.do(t, "GET", "/api/v1/units", "", nil)
	d := time.Since(start)
	mustUnavailable(t, res)
	if d < time.Second || d > 6*time.Second {
		t.Errorf("frozen connection: answered after %s, want about the request timeout 1.5s", d)
	}
	t.Logf("GET /api/v1/units on a frozen connection: %d in %s", res.Status, d.Round(time.Millisecond))
	proxy.Down()
	proxy.Up()
	waitOK(t, admin)
}

// waitOK polls until the API answers again.
func waitOK(t *testing.T, admin *client) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		res := admin.do(t, "GET", "/api/v1/units", "", nil)
		if res.Status == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after recovery = %d %s", res.Status, res.Body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestMetricsLabelsBounded sends made-up methods to made-up and real
// paths: every method label is a standard method or "other", every route
// label a route pattern or "unmatched", and the series stay few.
func TestMetricsLabelsBounded(t *testing.T) {
	srv, admin := mustServer(t, storetest.MustSQLite(t))
	patterns := map[string]bool{"unmatched": true}
	for _, r := range srv.Echo.Routes() {
		patterns[r.Path] = true
	}
	paths := []string{"/api/v1/units", "/api/v1/units/12345", "/healthz", "/x/%d", "/api/v1/nope/%d", "/units/%d/committee", "/static/%d.css"}
	for i := 0; i < 200; i++ {
		method := fmt.Sprintf("M%dX", i)
		if i%4 == 0 {
			method = "GET"
		}
		path := paths[rand.IntN(len(paths))]
		if strings.Contains(path, "%d") {
			path = fmt.Sprintf(path, i)
		}
		admin.serve(t, method, path, "", nil)
	}
	res := admin.do(t, "GET", "/metrics", "", nil)
	series := 0
	for _, line := range strings.Split(string(res.Body), "\n") {
		if !strings.HasPrefix(line, "chuyenhoa_http_requests_total{") {
			continue
		}
		series++
		labels := map[string]string{}
		for _, kv := range strings.Split(line[strings.Index(line, "{")+1:strings.Index(line, "}")], ",") {
			k, v, _ := strings.Cut(kv, "=")
			labels[k] = strings.Trim(v, `"`)
		}
		switch labels["method"] {
		case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "other":
		default:
			t.Errorf("method label %q: %s", labels["method"], line)
		}
		if !patterns[labels["route"]] {
			t.Errorf("route label %q is not a route pattern: %s", labels["route"], line)
		}
	}
	if series == 0 || series > 40 {
		t.Errorf("%d chuyenhoa_http_requests_total series after 200 probes, want 1–40", series)
	}
}

// TestReadiness: Redis down degrades (200, "degraded", a metric) but a
// critical check or a drain makes the instance unready, while every other
// route keeps serving during the drain.
func TestReadiness(t *testing.T) {
	db := storetest.MustSQLite(t)
	down := api.Check{Name: "redis", Ping: func(ctx context.Context) error { return fmt.Errorf("dial tcp 127.0.0.1:1: connection refused") }}
	up := api.Check{Name: "redis", Ping: func(ctx context.Context) error { return nil }}
	var body struct {
		Status string
		Checks map[string]string
	}
	t.Run("Redis down is degraded", func(t *testing.T) {
		_, ts := mustServer(t, db, down)
		mustDo(t, ts, "GET", "/readyz", "", "", http.StatusOK, &body)
		if body.Status != "degraded" || body.Checks["redis"] != "unreachable" || body.Checks["database"] != "ok" {
			t.Errorf("readyz = %+v, want degraded with redis unreachable", body)
		}
		if got := metricLine(t, ts, `chuyenhoa_dependency_degraded{dependency="redis"}`); got != "1" {
			t.Errorf("chuyenhoa_dependency_degraded{redis} = %q, want 1", got)
		}
	})
	t.Run("Redis up is ok", func(t *testing.T) {
		_, ts := mustServer(t, db, up)
		mustDo(t, ts, "GET", "/readyz", "", "", http.StatusOK, &body)
		if body.Status != "OK" {
			t.Errorf("status = %q, want OK", body.Status)
		}
		if got := metricLine(t, ts, `chuyenhoa_dependency_degraded{dependency="redis"}`); got != "0" {
			t.Errorf("chuyenhoa_dependency_degraded{redis} = %q, want 0", got)
		}
	})
	t.Run("a critical check fails readiness", func(t *testing.T) {
		crit := down
		crit.Name, crit.Critical = "queue", true
		_, ts := mustServer(t, db, crit)
		mustDo(t, ts, "GET", "/readyz", "", "", http.StatusServiceUnavailable, nil)
	})
	t.Run("draining", func(t *testing.T) {
		srv, ts := mustServer(t, db, up)
		srv.Drain()
		mustDo(t, ts, "GET", "/readyz", "", "", http.StatusServiceUnavailable, &body)
		if body.Status != "draining" {
			t.Errorf("status = %q, want draining", body.Status)
		}
		mustDo(t, ts, "GET", "/healthz", "", "", http.StatusOK, nil)
		mustDo(t, ts, "GET", "/api/v1/units", "", "", http.StatusOK, nil)
	})
}

// metricLine returns the value of one sample of /metrics as the client sees it.
func metricLine(t *testing.T, c *client, sample string) string {
	t.Helper()
	res := c.do(t, "GET", "/metrics", "", nil)
	for _, line := range strings.Split(string(res.Body), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

// TestBodyLimits: sign-in takes a few KB, JSON and forms 1 MB, and only the
// routes that receive files take the large limit.
func TestBodyLimits(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	srv, admin := mustServer(t, storetest.MustSQLite(t))
	_ = srv
	anon := &client{srv: admin.srv}
	big := func(n int) string { return `{"username":"` + strings.Repeat("a", n) + `","password":"x"}` }
	t.Run("login refuses 10 KB", func(t *testing.T) {
		mustError(t, anon.do(t, "POST", "/api/v1/auth/login", "application/json", strings.NewReader(big(10<<10))), http.StatusRequestEntityTooLarge, "invalid")
	})
	t.Run("login refuses 100 KB chunked", func(t *testing.T) {
		// No Content-Length: the limit cuts the read, not the header.
		r := io.MultiReader(strings.NewReader(`{"username":"`), io.LimitReader(neverEnding('a'), 100<<10))
		mustError(t, anon.do(t, "POST", "/api/v1/auth/login", "application/json", r), http.StatusRequestEntityTooLarge, "invalid")
	})
	t.Run("web login refuses 10 KB", func(t *testing.T) {
		res := anon.do(t, "POST", "/login", "application/x-www-form-urlencoded", strings.NewReader("username="+strings.Repeat("a", 10<<10)))
		if res.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST /login 10 KB = %d, want 413", res.Status)
		}
	})
	t.Run("JSON refuses 2 MB", func(t *testing.T) {
		body := `{"code":"01","name":"` + strings.Repeat("x", 2<<20) + `","kind":"province"}`
		mustError(t, admin.do(t, "POST", "/api/v1/units", "application/json", strings.NewReader(body)), http.StatusRequestEntityTooLarge, "invalid")
	})
	t.Run("JSON takes 500 KB", func(t *testing.T) {
		body := `{"code":"01","name":"` + strings.Repeat("x", 500<<10) + `","kind":"province"}`
		mustError(t, admin.do(t, "POST", "/api/v1/units", "application/json", strings.NewReader(body)), http.StatusBadRequest, "invalid")
	})
	t.Run("attachments take 5 MB", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("owner_type", "plan")
		mw.WriteField("owner_id", "999999")
		fw, _ := mw.CreateFormFile("file", "biên-bản.pdf")
		fw.Write([]byte("%PDF-1.4\n"))
		fw.Write(bytes.Repeat([]byte("0"), 5<<20))
		mw.Close()
		res := admin.do(t, "POST", "/api/v1/attachments", mw.FormDataContentType(), &buf)
		// Past the limit: the plan does not exist.
		if res.Status == http.StatusRequestEntityTooLarge || res.Status >= 500 {
			t.Errorf("5 MB upload = %d %s", res.Status, res.Body)
		}
	})
}

// neverEnding yields the same byte forever.
type neverEnding byte

func (b neverEnding) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}
