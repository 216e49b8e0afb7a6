package api_test

// Web sign-in: the session and CSRF cookies and their flags, CSRF on every
// form, a new session token at sign-in, idle and absolute timeouts, a
// disabled user's session ending at the next request, and sign-out.

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// webClient is a browser without JavaScript: it keeps cookies by hand (so
// the tests see every Set-Cookie) and does not follow redirects.
type webClient struct {
	s       *testServer
	hc      *http.Client
	cookies map[string]*http.Cookie
}

func newWebClient(s *testServer) *webClient {
	hc := *s.TS.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &webClient{s: s, hc: &hc, cookies: map[string]*http.Cookie{}}
}

// webAnswer is one answer with the cookies it set.
type webAnswer struct {
	Status  int
	Header  http.Header
	Body    string
	Cookies map[string]*http.Cookie
}

// do sends a request (a form when form is not nil) with the cookies held,
// and keeps the cookies the answer sets.
func (w *webClient) do(t testing.TB, method, path string, form url.Values) webAnswer {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, w.s.TS.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	for _, c := range w.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	res, err := w.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a := webAnswer{Status: res.StatusCode, Header: res.Header, Body: string(b), Cookies: map[string]*http.Cookie{}}
	for _, c := range res.Cookies() {
		a.Cookies[c.Name] = c
		if c.MaxAge < 0 || c.Value == "" {
			delete(w.cookies, c.Name)
		} else {
			w.cookies[c.Name] = c
		}
	}
	return a
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf returns the CSRF token of a page's form.
func csrf(t testing.TB, a webAnswer) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(a.Body)
	if m == nil {
		t.Fatalf("no _csrf field in %.300s", a.Body)
	}
	return m[1]
}

// signIn loads the login page and posts the form; it returns the answer.
func (w *webClient) signIn(t testing.TB, username, password string) webAnswer {
	t.Helper()
	page := w.do(t, "GET", "/login", nil)
	return w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {username}, "password": {password}})
}

// sessionRow is the stored web session of a cookie value.
type sessionRow struct {
	Expiry time.Time `bun:"expiry"`
	Data   []byte    `bun:"data"`
}

// storedSession returns the row of a session cookie value (nil when none).
func storedSession(t testing.TB, db *bun.DB, token string) *sessionRow {
	t.Helper()
	var rows []sessionRow
	if err := db.NewSelect().Table("web_sessions").Column("expiry", "data").Where("token = ?", identity.HashToken(token)).Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return nil
	}
	return &rows[0]
}

func setSession(t testing.TB, db *bun.DB, token string, expiry time.Time, data []byte) {
	t.Helper()
	q := db.NewUpdate().Table("web_sessions").Set("expiry = ?", expiry.UTC()).Where("token = ?", identity.HashToken(token))
	if data != nil {
		q = q.Set("data = ?", data)
	}
	if _, err := q.Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// near reports whether got is within tolerance of want.
func near(got, want time.Time, tolerance time.Duration) bool {
	d := got.Sub(want)
	return d < tolerance && d > -tolerance
}

// webFixture is a server with a ward user who signs in on the web.
type webFixture struct {
	s     *testServer
	admin *client
	user  *identity.User
}

func newWebFixture(t *testing.T, db *bun.DB, tls bool) *webFixture {
	s := newTestServer(t, db, func(o *api.Options) { o.TLS = tls })
	p := s.mustChild(t, nil, tenants.KindProvince, "W")
	w := s.mustChild(t, p, tenants.KindWard, "W-X1")
	return &webFixture{s: s, admin: s.mustAdmin(t, "quantri"), user: s.mustUser(t, "can-bo-xa", w, authz.RoleWard)}
}

func checkCookie(t testing.TB, c *http.Cookie, name string, secure bool) {
	t.Helper()
	if c == nil {
		t.Fatalf("no %s cookie set", name)
	}
	if !c.HttpOnly {
		t.Errorf("%s: not HttpOnly", c.Name)
	}
	if c.SameSite != http.SameSiteLaxMode {
		t.Errorf("%s: SameSite = %v, want Lax", c.Name, c.SameSite)
	}
	if c.Secure != secure {
		t.Errorf("%s: Secure = %v, want %v", c.Name, c.Secure, secure)
	}
	if c.Path != "/" || c.Domain != "" {
		t.Errorf("%s: Path %q Domain %q, want / and none (a __Host- cookie needs both)", c.Name, c.Path, c.Domain)
	}
}

func TestWebSessionCookies(t *testing.T) {
	for _, tc := range []struct {
		name           string
		tls            bool
		session, token string
	}{
		{"plain HTTP", false, "chuyenhoa_session", "chuyenhoa_csrf"},
		{"TLS", true, "__Host-chuyenhoa_session", "__Host-chuyenhoa_csrf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newWebFixture(t, storetest.MustSQLite(t), tc.tls)
			w := newWebClient(f.s)
			page := w.do(t, "GET", "/login", nil)
			if page.Status != http.StatusOK {
				t.Fatalf("GET /login = %d", page.Status)
			}
			checkCookie(t, page.Cookies[tc.token], tc.token, tc.tls)
			if _, ok := page.Cookies[tc.session]; ok {
				t.Errorf("GET /login set a session before sign-in")
			}
			res := w.do(t, "POST", "/login", url.Values{"_csrf": {csrf(t, page)}, "username": {f.user.Username}, "password": {testPassword(f.user.Username)}})
			if res.Status != http.StatusSeeOther {
				t.Fatalf("POST /login = %d %s", res.Status, res.Body)
			}
			c := res.Cookies[tc.session]
			checkCookie(t, c, tc.session, tc.tls)
			if c.MaxAge < 3590 || c.MaxAge > 3601 {
				t.Errorf("session cookie Max-Age = %d, want the idle timeout (3600)", c.MaxAge)
			}
			if home := w.do(t, "GET", "/", nil); home.Status != http.StatusOK || !strings.Contains(home.Body, f.user.FullName) {
				t.Errorf("GET / signed in = %d %.200s", home.Status, home.Body)
			}
		})
	}
}

func TestWebSignIn(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := newWebFixture(t, db, false)
		const session = "chuyenhoa_session"
		name, pw := f.user.Username, testPassword(f.user.Username)

		t.Run("CSRF is required", func(t *testing.T) {
			w := newWebClient(f.s)
			page := w.do(t, "GET", "/login", nil)
			for label, form := range map[string]url.Values{
				"no token":    {"username": {name}, "password": {pw}},
				"wrong token": {"_csrf": {"x" + csrf(t, page)}, "username": {name}, "password": {pw}},
			} {
				res := w.do(t, "POST", "/login", form)
				if res.Status != http.StatusForbidden {
					t.Errorf("%s: POST /login = %d, want 403", label, res.Status)
				}
				if _, ok := res.Cookies[session]; ok {
					t.Errorf("%s: a session was set", label)
				}
			}
			// A cross-site form carries the browser's cookie but not the token.
			other := newWebClient(f.s)
			other.cookies = w.cookies
			if res := other.do(t, "POST", "/login", url.Values{"username": {name}, "password": {pw}}); res.Status != http.StatusForbidden {
				t.Errorf("cookie without token: POST /login = %d, want 403", res.Status)
			}
		})

		t.Run("wrong password", func(t *testing.T) {
			w := newWebClient(f.s)
			res := w.signIn(t, name, "không phải mật khẩu")
			if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, `role="alert"`) {
				t.Errorf("POST /login with a wrong password = %d %.200s", res.Status, res.Body)
			}
			if _, ok := res.Cookies[session]; ok {
				t.Errorf("a failed sign-in set a session")
			}
		})

		t.Run("sign-in rotates the session and stores it hashed with both timeouts", func(t *testing.T) {
			w := newWebClient(f.s)
			res := w.signIn(t, name, pw)
			if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/" {
				t.Fatalf("POST /login = %d to %q", res.Status, res.Header.Get("Location"))
			}
			first := w.cookies[session].Value
			row := storedSession(t, db, first)
			if row == nil {
				t.Fatal("no stored session for the cookie")
			}
			if rawStored(t, db, first) {
				t.Error("the session token is stored in clear")
			}
			now := time.Now()
			if !near(row.Expiry, now.Add(time.Hour), time.Minute) {
				t.Errorf("stored expiry %v, want now + 1 h (idle timeout)", row.Expiry)
			}
			deadline, _, err := scs.GobCodec{}.Decode(row.Data)
			if err != nil {
				t.Fatal(err)
			}
			if !near(deadline, now.Add(12*time.Hour), time.Minute) {
				t.Errorf("absolute deadline %v, want now + 12 h", deadline)
			}
			// Signing in again (on a shared computer, or after a fixation
			// attempt) gives a new token and ends the old one.
			res = w.signIn(t, name, pw)
			second := w.cookies[session].Value
			if res.Status != http.StatusSeeOther || second == first {
				t.Fatalf("second sign-in = %d, token rotated %v", res.Status, second != first)
			}
			if storedSession(t, db, first) != nil {
				t.Error("the old session survives sign-in")
			}
			stale := newWebClient(f.s)
			stale.cookies[session] = &http.Cookie{Name: session, Value: first}
			if got := stale.do(t, "GET", "/", nil); got.Status != http.StatusSeeOther {
				t.Errorf("old token: GET / = %d, want 303 to /login", got.Status)
			}
			// A token planted before sign-in is never the one after it.
			planted := newWebClient(f.s)
			planted.cookies[session] = &http.Cookie{Name: session, Value: "planted-by-an-attacker"}
			planted.signIn(t, name, pw)
			if v := planted.cookies[session].Value; v == "planted-by-an-attacker" {
				t.Error("sign-in kept a planted session token")
			}
		})

		t.Run("idle timeout", func(t *testing.T) {
			w := newWebClient(f.s)
			w.signIn(t, name, pw)
			tok := w.cookies[session].Value
			// Used within the hour: the expiry slides.
			setSession(t, db, tok, time.Now().Add(time.Minute), nil)
			if got := w.do(t, "GET", "/", nil); got.Status != http.StatusOK {
				t.Fatalf("GET / = %d", got.Status)
			}
			if row := storedSession(t, db, tok); row == nil || !near(row.Expiry, time.Now().Add(time.Hour), time.Minute) {
				t.Errorf("expiry after use = %v, want now + 1 h", row)
			}
			// Unused for the hour: gone.
			setSession(t, db, tok, time.Now().Add(-time.Second), nil)
			if got := w.do(t, "GET", "/", nil); got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), "/login") {
				t.Errorf("idle session: GET / = %d to %q, want 303 to /login", got.Status, got.Header.Get("Location"))
			}
		})

		t.Run("absolute timeout", func(t *testing.T) {
			w := newWebClient(f.s)
			w.signIn(t, name, pw)
			tok := w.cookies[session].Value
			// 30 s before the 12-hour deadline: use does not extend it.
			_, values, err := scs.GobCodec{}.Decode(storedSession(t, db, tok).Data)
			if err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			data, err := scs.GobCodec{}.Encode(deadline, values)
			if err != nil {
				t.Fatal(err)
			}
			setSession(t, db, tok, deadline, data)
			if got := w.do(t, "GET", "/", nil); got.Status != http.StatusOK {
				t.Fatalf("GET / = %d", got.Status)
			}
			if row := storedSession(t, db, tok); row == nil || row.Expiry.After(deadline.Add(time.Second)) {
				t.Errorf("expiry after use = %v, want at most the deadline %v", row, deadline)
			}
			setSession(t, db, tok, time.Now().Add(-time.Second), nil)
			if got := w.do(t, "GET", "/", nil); got.Status != http.StatusSeeOther {
				t.Errorf("session past its deadline: GET / = %d, want 303", got.Status)
			}
		})

		t.Run("a disabled user's session ends at the next request", func(t *testing.T) {
			u := f.s.mustUser(t, "se-bi-khoa", nil, authz.RoleAdmin)
			w := newWebClient(f.s)
			w.signIn(t, u.Username, testPassword(u.Username))
			tok := w.cookies[session].Value
			if got := w.do(t, "GET", "/", nil); got.Status != http.StatusOK {
				t.Fatalf("GET / = %d", got.Status)
			}
			f.admin.serveJSON(t, "PATCH", "/api/v1/users/"+itoa(u.ID), map[string]string{"status": "disabled"}, http.StatusOK, nil)
			got := w.do(t, "GET", "/", nil)
			if got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Header.Get("Location"), "/login") {
				t.Errorf("disabled: GET / = %d to %q, want 303 to /login", got.Status, got.Header.Get("Location"))
			}
			if c := got.Cookies[session]; c == nil || c.MaxAge >= 0 {
				t.Errorf("disabled: session cookie not cleared: %v", c)
			}
			if storedSession(t, db, tok) != nil {
				t.Error("disabled: the stored session survives")
			}
			if res := w.signIn(t, u.Username, testPassword(u.Username)); res.Status != http.StatusUnauthorized {
				t.Errorf("disabled user signs in: %d, want 401", res.Status)
			}
		})

		t.Run("sign-out destroys the session", func(t *testing.T) {
			w := newWebClient(f.s)
			w.signIn(t, name, pw)
			tok := w.cookies[session].Value
			home := w.do(t, "GET", "/", nil)
			if got := w.do(t, "POST", "/logout", url.Values{}); got.Status != http.StatusForbidden {
				t.Errorf("POST /logout without _csrf = %d, want 403: %s", got.Status, got.Body)
			}
			if storedSession(t, db, tok) == nil {
				t.Fatal("a refused sign-out ended the session")
			}
			got := w.do(t, "POST", "/logout", url.Values{"_csrf": {csrf(t, home)}})
			if got.Status != http.StatusSeeOther || got.Header.Get("Location") != "/login" {
				t.Errorf("POST /logout = %d to %q", got.Status, got.Header.Get("Location"))
			}
			if c := got.Cookies[session]; c == nil || c.MaxAge >= 0 {
				t.Errorf("sign-out: session cookie not cleared: %v", c)
			}
			if storedSession(t, db, tok) != nil {
				t.Error("sign-out: the stored session survives")
			}
			replay := newWebClient(f.s)
			replay.cookies[session] = &http.Cookie{Name: session, Value: tok}
			if got := replay.do(t, "GET", "/", nil); got.Status != http.StatusSeeOther {
				t.Errorf("replayed cookie after sign-out: GET / = %d, want 303", got.Status)
			}
			n, err := db.NewSelect().Model((*audit.Entry)(nil)).Where("action = ? AND actor_id = ?", "auth.logout", f.user.ID).Count(context.Background())
			if err != nil || n == 0 {
				t.Errorf("sign-out not audited (%d entries, %v)", n, err)
			}
		})
	})
}

// rawStored reports whether a session row holds the token in clear.
func rawStored(t testing.TB, db *bun.DB, token string) bool {
	n, err := db.NewSelect().Table("web_sessions").Where("token = ?", token).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n > 0
}
