package api_test

// Issue 17 (outside security test), items 1–4 and 13: the sign-in
// redirect stays on the site, the client address comes from forwarding
// headers only through configured proxies, strangers cannot lock an
// account, credential and status changes end web sessions on every
// instance, and the security headers.

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestSignInNextStaysOnSite is item 1: /login?next=%2F%09%2Fevil.example%2Fx
// answered 303 Location: /\t/evil…, which browsers read as //evil….
func TestSignInNextStaysOnSite(t *testing.T) {
	f := newWebFixture(t, storetest.MustSQLite(t), false)
	name, pw := f.user.Username, testPassword(f.user.Username)
	for _, tc := range []struct{ next, want string }{
		{"/\t/evil.example/x", "/"},
		{"/\n/evil.example/x", "/"},
		{"/\r\n/evil.example/x", "/"},
		{"\t//evil.example/x", "/"},
		{"/ /evil.example/x", "/"},
		{"/\u00a0/evil.example/x", "/"},
		{"/\u200b/evil.example/x", "/"},
		{"/\u202e/evil.example/x", "/"},
		{"/\x00/evil.example/x", "/"},
		{"/\x7f/evil.example/x", "/"},
		{"//evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"/\t\\evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"https:evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"", "/"},
		{"/plans/7?tab=tasks#t3", "/plans/7?tab=tasks#t3"},
		{"/target-areas/5/reports/2024-03", "/target-areas/5/reports/2024-03"},
		{"/comp\tare", "/compare"},
	} {
		t.Run(strconv.Quote(tc.next), func(t *testing.T) {
			w := newWebClient(f.s)
			page := w.do(t, "GET", "/login?next="+url.QueryEscape(tc.next), nil)
			if strings.Contains(page.Body, "evil.example") {
				t.Errorf("the sign-in page carries %q on: %.300s", tc.next, page.Body)
			}
			if page.Status == http.StatusBadRequest {
				// NUL and DEL are refused by the input guard (issue 17,
				// item 8) before the sign-in page: the POST must be refused
				// too, never redirected.
				page = w.do(t, "GET", "/login", nil)
				res := w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {name}, "password": {pw}, "next": {tc.next}})
				if res.Status != http.StatusBadRequest || res.Header.Get("Location") != "" {
					t.Errorf("next %q: POST /login = %d → %q, want 400 and no redirect", tc.next, res.Status, res.Header.Get("Location"))
				}
				return
			}
			res := w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {name}, "password": {pw}, "next": {tc.next}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("POST /login = %d", res.Status)
			}
			if got := res.Header.Get("Location"); got != tc.want {
				t.Errorf("next %q: Location = %q, want %q", tc.next, got, tc.want)
			}
		})
	}
	t.Run("a failed sign-in does not carry a bad next either", func(t *testing.T) {
		w := newWebClient(f.s)
		page := w.do(t, "GET", "/login", nil)
		res := w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {name}, "password": {"không phải mật khẩu"}, "next": {"/\t/evil.example/x"}})
		if res.Status != http.StatusUnauthorized || strings.Contains(res.Body, "evil.example") {
			t.Errorf("failed sign-in = %d, page carries the target: %v", res.Status, strings.Contains(res.Body, "evil.example"))
		}
	})
}

// loginFrom posts the API sign-in in process from peer with the extra
// request headers.
func loginFrom(t testing.TB, s *testServer, peer, username, password string, hdr map[string]string) response {
	t.Helper()
	body, _ := json.Marshal(api.LoginRequest{Username: username, Password: password})
	req := httptest.NewRequest(http.MethodPost, "http://chuyenhoa.test/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = peer + ":40000"
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	s.Srv.Echo.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// lastAuditIP returns the address of the newest audit entry of action by username.
func lastAuditIP(t testing.TB, db *bun.DB, action, username string) string {
	t.Helper()
	var ip string
	if err := db.NewSelect().Table("audit_log").Column("ip").Where("action = ? AND actor_username = ?", action, username).
		Order("id DESC").Limit(1).Scan(context.Background(), &ip); err != nil {
		t.Fatal(err)
	}
	return ip
}

func prefixes(t testing.TB, cidrs ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, c := range cidrs {
		out = append(out, netip.MustParsePrefix(c))
	}
	return out
}

// TestClientIPTrustsOnlyConfiguredProxies is item 2: X-Forwarded-For and
// X-Real-IP from anyone landed in audit rows and keyed the per-IP limit.
func TestClientIPTrustsOnlyConfiguredProxies(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	db := storetest.MustSQLite(t)
	i := 0
	for _, tc := range []struct {
		name    string
		trusted []string
		peer    string
		hdr     map[string]string
		want    string
	}{
		{"no proxies: forged X-Forwarded-For", nil, "192.0.2.1", map[string]string{"X-Forwarded-For": "198.51.100.9"}, "192.0.2.1"},
		{"no proxies: forged X-Real-IP", nil, "192.0.2.1", map[string]string{"X-Real-IP": "198.51.100.9"}, "192.0.2.1"},
		{"no proxies: a loopback peer is not trusted either", nil, "127.0.0.1", map[string]string{"X-Forwarded-For": "198.51.100.9"}, "127.0.0.1"},
		{"no proxies: a private peer is not trusted either", nil, "10.1.2.3", map[string]string{"X-Real-IP": "198.51.100.9"}, "10.1.2.3"},
		{"peer outside the proxies", []string{"10.0.0.0/8"}, "192.0.2.1", map[string]string{"X-Forwarded-For": "198.51.100.9", "X-Real-IP": "198.51.100.9"}, "192.0.2.1"},
		{"through a proxy", []string{"10.0.0.0/8"}, "10.0.0.7", map[string]string{"X-Forwarded-For": "198.51.100.9"}, "198.51.100.9"},
		{"through two proxies", []string{"10.0.0.0/8", "172.16.0.0/12"}, "10.0.0.7", map[string]string{"X-Forwarded-For": "198.51.100.9, 172.16.4.4"}, "198.51.100.9"},
		{"a client's own forged entry is left of the real one", []string{"10.0.0.0/8"}, "10.0.0.7", map[string]string{"X-Forwarded-For": "203.0.113.66, 198.51.100.9"}, "198.51.100.9"},
		{"X-Real-IP through a proxy", []string{"10.0.0.7/32"}, "10.0.0.7", map[string]string{"X-Real-IP": "198.51.100.10"}, "198.51.100.10"},
		{"garbage through a proxy", []string{"10.0.0.0/8"}, "10.0.0.7", map[string]string{"X-Forwarded-For": "nonsense"}, "10.0.0.7"},
	} {
		i++
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, db, func(o *api.Options) { o.TrustedProxies = prefixes(t, tc.trusted...) })
			name := "ip-user-" + strconv.Itoa(i)
			s.mustUser(t, name, nil, authz.RoleAdmin)
			if res := loginFrom(t, s, tc.peer, name, testPassword(name), tc.hdr); res.Status != http.StatusOK {
				t.Fatalf("login = %d %s", res.Status, res.Body)
			}
			if got := lastAuditIP(t, db, "auth.login", name); got != tc.want {
				t.Errorf("audited IP = %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("forged headers do not bypass the per-address limit", func(t *testing.T) {
		s := newTestServer(t, db)
		s.IDs.MaxFailuresPerIP = 5
		for i := 0; i < 5; i++ {
			res := loginFrom(t, s, "192.0.2.99", "nobody"+strconv.Itoa(i), "đoán bừa mà thôi", map[string]string{"X-Forwarded-For": "198.51.100." + strconv.Itoa(i+1)})
			if res.Status != http.StatusUnauthorized {
				t.Fatalf("failure %d = %d", i, res.Status)
			}
		}
		res := loginFrom(t, s, "192.0.2.99", "nobody9", "đoán bừa mà thôi", map[string]string{"X-Forwarded-For": "198.51.100.77", "X-Real-IP": "198.51.100.78"})
		if res.Status != http.StatusTooManyRequests {
			t.Errorf("6th failure from one peer with a new forged address = %d, want 429", res.Status)
		}
		if got := res.Header.Get("Retry-After"); got == "" {
			t.Error("429 without Retry-After")
		}
	})
}

// TestStrangersCannotLockAnAccount is item 3 through the API: 100 failures
// from 100 forged addresses locked the account for an hour (the right
// password got 429). Here the addresses are real ones as a trusted proxy
// reports them.
func TestStrangersCannotLockAnAccount(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := newTestServer(t, db, func(o *api.Options) { o.TrustedProxies = prefixes(t, "10.0.0.0/8") })
		p := s.mustChild(t, nil, tenants.KindProvince, "L")
		owner := s.mustUser(t, "chu.tai.khoan", p, authz.RoleProvince)
		pw := testPassword(owner.Username)
		usual := map[string]string{"X-Forwarded-For": "198.51.100.20"}
		if res := loginFrom(t, s, "10.0.0.2", owner.Username, pw, usual); res.Status != http.StatusOK {
			t.Fatalf("owner's usual sign-in = %d", res.Status)
		}
		refused := 0
		for i := 0; i < 100; i++ {
			res := loginFrom(t, s, "10.0.0.2", owner.Username, "đoán bừa "+strconv.Itoa(i), map[string]string{"X-Forwarded-For": "203.0.113." + strconv.Itoa(i+1)})
			switch res.Status {
			case http.StatusUnauthorized:
			case http.StatusTooManyRequests:
				refused++
				if res.Header.Get("Retry-After") == "" {
					t.Fatalf("attempt %d: 429 without Retry-After", i)
				}
			default:
				t.Fatalf("attempt %d = %d %s", i, res.Status, res.Body)
			}
		}
		if refused == 0 {
			t.Error("100 failures in a burst were all verified: no delay per account")
		}
		if res := loginFrom(t, s, "10.0.0.2", owner.Username, pw, map[string]string{"X-Forwarded-For": "192.0.2.200"}); res.Status != http.StatusTooManyRequests {
			t.Errorf("right password from a new address during the attack = %d, want 429 (the delay)", res.Status)
		}
		if res := loginFrom(t, s, "10.0.0.2", owner.Username, pw, usual); res.Status != http.StatusOK {
			t.Errorf("owner from its usual address after 100 failures = %d %s, want 200", res.Status, res.Body)
		}

		t.Run("the web form says how long to wait", func(t *testing.T) {
			w := newWebClient(s)
			res := w.signIn(t, owner.Username, "sai thêm lần nữa")
			for i := 0; i < 6 && res.Status != http.StatusTooManyRequests; i++ {
				res = w.signIn(t, owner.Username, "sai thêm lần nữa")
			}
			if res.Status != http.StatusTooManyRequests || !strings.Contains(res.Body, "giây") || res.Header.Get("Retry-After") == "" {
				t.Errorf("throttled web sign-in = %d, Retry-After %q: %.300s", res.Status, res.Header.Get("Retry-After"), res.Body)
			}
		})
	})
}

// TestWebSessionsEndOnCredentialChange is item 4: a password change and a
// disable followed by a re-enable ended the API tokens but the cookie still
// got 200. Every such change (and a role change) ends every web session of
// the user, on every instance.
func TestWebSessionsEndOnCredentialChange(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		// Two instances over one database.
		a := newWebFixture(t, db, false)
		b := newTestServer(t, db)
		adminB := b.mustLogin(t, a.s.mustUser(t, "quantri.b", nil, authz.RoleAdmin))
		p := a.s.mustChild(t, nil, tenants.KindProvince, "S")
		const session = "chuyenhoa_session"
		n := 0
		signedIn := func(t *testing.T, roles ...string) (*identity.User, []*webClient) {
			t.Helper()
			n++
			u := a.s.mustUser(t, "nguoi.dung"+strconv.Itoa(n), p, roles...)
			var ws []*webClient
			for _, srv := range []*testServer{a.s, b} {
				w := newWebClient(srv)
				if res := w.signIn(t, u.Username, testPassword(u.Username)); res.Status != http.StatusSeeOther {
					t.Fatalf("sign-in = %d", res.Status)
				}
				if got := w.do(t, "GET", "/", nil); got.Status != http.StatusOK {
					t.Fatalf("GET / = %d", got.Status)
				}
				ws = append(ws, w)
			}
			return u, ws
		}
		ended := func(t *testing.T, u *identity.User, ws []*webClient) {
			t.Helper()
			for i, w := range ws {
				tok := w.cookies[session].Value
				got := w.do(t, "GET", "/", nil)
				if got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), "/login") {
					t.Errorf("session %d: GET / = %d to %q, want 303 to /login", i, got.Status, got.Header.Get("Location"))
				}
				if storedSession(t, db, tok) != nil {
					t.Errorf("session %d is still stored", i)
				}
			}
			var left int
			if err := db.NewSelect().Table("web_sessions").ColumnExpr("COUNT(*)").Where("user_id = ?", u.ID).Scan(context.Background(), &left); err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Errorf("%d stored sessions of the user remain", left)
			}
		}
		patch := func(t *testing.T, u *identity.User, body map[string]any) {
			t.Helper()
			adminB.serveJSON(t, "PATCH", "/api/v1/users/"+itoa(u.ID), body, http.StatusOK, nil)
		}

		t.Run("password change on another instance", func(t *testing.T) {
			u, ws := signedIn(t, authz.RoleProvince)
			patch(t, u, map[string]any{"password": "một mật khẩu mới đủ dài"})
			ended(t, u, ws)
		})
		t.Run("disabled and enabled again before the next request", func(t *testing.T) {
			u, ws := signedIn(t, authz.RoleProvince)
			patch(t, u, map[string]any{"status": "disabled"})
			patch(t, u, map[string]any{"status": "active"})
			ended(t, u, ws)
			w := newWebClient(a.s)
			if res := w.signIn(t, u.Username, testPassword(u.Username)); res.Status != http.StatusSeeOther {
				t.Errorf("signing in again after re-enabling = %d", res.Status)
			}
		})
		t.Run("role change", func(t *testing.T) {
			u, ws := signedIn(t, authz.RoleProvince)
			patch(t, u, map[string]any{"roles": []string{authz.RoleProvince, authz.RolePolice}})
			ended(t, u, ws)
		})
		t.Run("a session written back by a request in flight is refused", func(t *testing.T) {
			u, ws := signedIn(t, authz.RoleProvince)
			tok := ws[0].cookies[session].Value
			row := storedSession(t, db, tok)
			patch(t, u, map[string]any{"password": "một mật khẩu khác cũng đủ dài"})
			// As if a request that had loaded the session before the
			// change committed it after.
			if _, err := db.NewRaw("INSERT INTO web_sessions (token, data, expiry, user_id) VALUES (?, ?, ?, ?)",
				identity.HashToken(tok), row.Data, row.Expiry, u.ID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			ended(t, u, ws[:1])
		})
		t.Run("other changes keep the session", func(t *testing.T) {
			u, ws := signedIn(t, authz.RoleProvince)
			patch(t, u, map[string]any{"full_name": "Tên mới", "lang": "en", "status": "active", "roles": []string{authz.RoleProvince}})
			for i, w := range ws {
				if got := w.do(t, "GET", "/", nil); got.Status != http.StatusOK {
					t.Errorf("session %d after a name change: GET / = %d", i, got.Status)
				}
			}
		})
	})
}

// TestSecurityHeaders is item 13: HSTS over https, the CSP's form-action
// and base-uri, no-store on API answers and pages, and the CSRF token
// rotated at sign-in and refused from the URL.
func TestSecurityHeaders(t *testing.T) {
	for _, tls := range []bool{false, true} {
		t.Run("TLS="+strconv.FormatBool(tls), func(t *testing.T) {
			f := newWebFixture(t, storetest.MustSQLite(t), tls)
			admin := f.admin
			for _, tc := range []struct {
				name string
				res  func() response
			}{
				{"API answer", func() response { return admin.do(t, "GET", "/api/v1/me", "", nil) }},
				{"API error", func() response { return f.s.anonymous().do(t, "GET", "/api/v1/units", "", nil) }},
				{"sign-in page", func() response { return f.s.anonymous().do(t, "GET", "/login", "", nil) }},
				{"health", func() response { return f.s.anonymous().do(t, "GET", "/healthz", "", nil) }},
			} {
				t.Run(tc.name, func(t *testing.T) {
					h := tc.res().Header
					if got := h.Get("Cache-Control"); !strings.Contains(got, "no-store") {
						t.Errorf("Cache-Control = %q, want no-store", got)
					}
					csp := h.Get("Content-Security-Policy")
					for _, d := range []string{"form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"} {
						if !strings.Contains(csp, d) {
							t.Errorf("CSP %q lacks %s", csp, d)
						}
					}
					hsts := h.Get("Strict-Transport-Security")
					if tls && (!strings.Contains(hsts, "max-age=") || strings.Contains(hsts, "max-age=0")) {
						t.Errorf("over https: Strict-Transport-Security = %q", hsts)
					}
					if !tls && hsts != "" {
						t.Errorf("over plain HTTP: Strict-Transport-Security = %q, want none", hsts)
					}
				})
			}

			w := newWebClient(f.s)
			csrfName := "chuyenhoa_csrf"
			if tls {
				csrfName = "__Host-chuyenhoa_csrf"
			}
			page := w.do(t, "GET", "/login", nil)
			before := w.cookies[csrfName].Value
			res := w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {f.user.Username}, "password": {testPassword(f.user.Username)}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("sign-in = %d", res.Status)
			}
			if got := res.Header.Values("Set-Cookie"); countPrefix(got, csrfName+"=") != 1 {
				t.Errorf("sign-in sets the CSRF cookie %d times: %q", countPrefix(got, csrfName+"="), got)
			}
			after := w.cookies[csrfName].Value
			t.Run("CSRF token rotated at sign-in", func(t *testing.T) {
				if after == "" || after == before {
					t.Fatalf("CSRF cookie before %q, after %q: want a new one", before, after)
				}
				checkCookie(t, res.Cookies[csrfName], csrfName, tls)
				home := w.do(t, "GET", "/settings", nil)
				if got := csrf(t, home); got != after {
					t.Errorf("page token %q, want the new cookie's %q", got, after)
				}
				if got := w.do(t, "POST", "/settings", url.Values{"_csrf": {before}, "lang": {"vi"}}); got.Status != http.StatusForbidden {
					t.Errorf("the token from before sign-in = %d, want 403", got.Status)
				}
			})
			t.Run("personal pages are not stored", func(t *testing.T) {
				for _, path := range []string{"/", "/settings", "/units/" + itoa(*f.user.UnitID)} {
					if got := w.do(t, "GET", path, nil); got.Status != http.StatusOK || !strings.Contains(got.Header.Get("Cache-Control"), "no-store") {
						t.Errorf("GET %s = %d, Cache-Control %q", path, got.Status, got.Header.Get("Cache-Control"))
					}
				}
			})
			t.Run("CSRF token not accepted from the URL", func(t *testing.T) {
				if got := w.do(t, "POST", "/settings?_csrf="+url.QueryEscape(after), url.Values{"lang": {"vi"}}); got.Status != http.StatusForbidden {
					t.Errorf("token in the query string = %d, want 403", got.Status)
				}
				if got := w.do(t, "POST", "/settings?x=1", url.Values{"_csrf": {after}, "lang": {"vi"}}); got.Status != http.StatusSeeOther {
					t.Errorf("token in the body = %d, want 303", got.Status)
				}
			})
		})
	}
}

func countPrefix(vs []string, prefix string) int {
	n := 0
	for _, v := range vs {
		if strings.HasPrefix(v, prefix) {
			n++
		}
	}
	return n
}
