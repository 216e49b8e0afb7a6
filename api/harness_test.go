package api_test

// The shared test harness of the api package: the real server (token
// authorisation, Casbin, argon2id with test-sized cost) over a real
// database, with helpers to make units and users, sign them in and send
// requests as them. Later capabilities (campaigns, reports) build their
// fixtures with mustUnit / mustUser / mustLogin and send requests with
// client.serve (in process) or client.do (over TCP).
//
// Adding a capability's routes to the authorisation tests:
//   - routeCases (authz_test.go; the campaign and report routes in
//     authz_campaigns_test.go): one request builder per new route — the
//     matrix fails for a route without one, or one no cell gets through,
//     and the isolation test sends every route of the table at random. A
//     builder picks its object with choose (the target's own in the
//     matrix, any at random), derives the answer from the object's owner
//     (tree.sees) and the route's rules, and puts the object in the state
//     it needs first (authEnv.set); about the phantom (phantomLike) it
//     names absent objects of the same types;
//   - isolationGenerators (isolation_test.go): requests that name objects
//     of other scopes elsewhere (filters, files, nested ids);
//   - world_test.go: the new tables in objectQuery (objects and their
//     owners) and aggTables (rows a write may change, by owning unit), who
//     sees them (tree.sees), and the new JSON shapes and id keys in
//     checkObject / unitRefKeys / objectRefKeys.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

// fastArgon2 keeps argon2id but at test-sized cost; identity's tests check
// the production parameters.
var fastArgon2 = identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// testServer is the real server over one database, with the services the
// tests reach behind the API (to build fixtures and to inspect state).
type testServer struct {
	DB  *bun.DB
	Srv *api.Server
	// TS serves Srv over TCP for tests that need real HTTP (cookies, TLS).
	TS    *httptest.Server
	IDs   *identity.Service
	Enf   *authz.Enforcer
	Units *tenants.Units
	// Root carries the platform scope, for fixtures made behind the API.
	Root context.Context
	// check validates the API traffic against the OpenAPI document.
	check *apiChecker
}

// newTestServer builds the real stack over db: api.New with the
// TokenAuthorizer, identity.Service with fast argon2id parameters and the
// Casbin enforcer. opts may adjust the Options (TLS, Checks …) before the
// server is built.
func newTestServer(t testing.TB, db *bun.DB, opts ...func(*api.Options)) *testServer {
	t.Helper()
	root := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(root, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(fastArgon2, 0)}
	o := api.Options{
		DB:         db,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf},
		Identity:   ids,
		Enforcer:   enf,
		Version:    "test",
		DataDir:    t.TempDir(),
	}
	for _, f := range opts {
		f(&o)
	}
	srv := api.New(o)
	check := newAPIChecker(t, srv, srv.Echo)
	ts := httptest.NewUnstartedServer(check)
	if o.TLS {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	t.Cleanup(ts.Close)
	return &testServer{DB: db, Srv: srv, TS: ts, IDs: ids, Enf: enf, Units: &tenants.Units{DB: db}, Root: root, check: check}
}

// testPassword is the password mustUser gives username.
func testPassword(username string) string { return "mật-khẩu-dài-" + username }

// mustUnit creates a unit behind the API (platform scope).
func (s *testServer) mustUnit(t testing.TB, in tenants.NewUnit) *tenants.Unit {
	t.Helper()
	u, err := s.Units.CreateUnit(s.Root, in)
	if err != nil {
		t.Fatalf("create unit %s: %v", in.Code, err)
	}
	return u
}

// mustChild creates a unit of kind under parent with a name derived from code.
func (s *testServer) mustChild(t testing.TB, parent *tenants.Unit, kind, code string) *tenants.Unit {
	t.Helper()
	in := tenants.NewUnit{Code: code, Name: unitName(kind, code), Kind: kind}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	return s.mustUnit(t, in)
}

// unitName is a unique, diacritic-bearing name for a fixture unit.
func unitName(kind, code string) string {
	switch kind {
	case tenants.KindProvince:
		return "Tỉnh Thử " + code
	case tenants.KindDistrict:
		return "Huyện Thử " + code
	}
	return "Xã Thử " + code
}

// mustUser creates a user with roles at unit (nil for the platform) behind
// the API, with the password testPassword(username).
func (s *testServer) mustUser(t testing.TB, username string, unit *tenants.Unit, roles ...string) *identity.User {
	t.Helper()
	var u *identity.User
	err := s.DB.RunInTx(s.Root, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		u, err = s.IDs.CreateUserTx(ctx, tx, identity.NewUser{Username: username, FullName: "Cán bộ " + username, Roles: roles, Password: testPassword(username)}, unit)
		return err
	})
	if err != nil {
		t.Fatalf("create user %s: %v", username, err)
	}
	return u
}

// mustAdmin creates a platform admin and signs it in.
func (s *testServer) mustAdmin(t testing.TB, username string) *client {
	t.Helper()
	return s.mustLogin(t, s.mustUser(t, username, nil, authz.RoleAdmin))
}

// mustLogin signs u in through POST /api/v1/auth/login.
func (s *testServer) mustLogin(t testing.TB, u *identity.User) *client {
	t.Helper()
	c, res := s.login(t, u.Username, testPassword(u.Username))
	if res.Status != http.StatusOK {
		t.Fatalf("login %s = %d %s", u.Username, res.Status, res.Body)
	}
	return c
}

// login signs in through the API and returns a client carrying the token
// (empty when refused) and the answer.
func (s *testServer) login(t testing.TB, username, password string) (*client, response) {
	t.Helper()
	body, _ := json.Marshal(api.LoginRequest{Username: username, Password: password})
	res := s.anonymous().serve(t, http.MethodPost, "/api/v1/auth/login", echo.MIMEApplicationJSON, bytes.NewReader(body))
	c := s.anonymous()
	if res.Status == http.StatusOK {
		var out struct {
			Token string         `json:"token"`
			User  *identity.User `json:"user"`
		}
		if err := json.Unmarshal(res.Body, &out); err != nil {
			t.Fatalf("login %s: %s: %v", username, res.Body, err)
		}
		c.Token, c.User = out.Token, out.User
	}
	return c, res
}

// anonymous returns a client without a token.
func (s *testServer) anonymous() *client { return &client{srv: s} }

// client sends requests as one signed-in user (or anonymously).
type client struct {
	srv   *testServer
	Token string
	User  *identity.User
}

// response is one answer of the server.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// RequestID returns the X-Request-Id the server gave the request.
func (r response) RequestID() string { return r.Header.Get(echo.HeaderXRequestID) }

func (c *client) request(t testing.TB, method, url, contentType string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set(echo.HeaderContentType, contentType)
	}
	if c.Token != "" {
		req.Header.Set(echo.HeaderAuthorization, "Bearer "+c.Token)
	}
	return req
}

// do sends a request over TCP to the test server.
func (c *client) do(t testing.TB, method, path, contentType string, body io.Reader) response {
	t.Helper()
	res, err := c.srv.TS.Client().Do(c.request(t, method, c.srv.TS.URL+path, contentType, body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// serve sends a request through the Echo handler in process (no TCP): the
// same middleware and handlers, for tests that send thousands.
func (c *client) serve(t testing.TB, method, path, contentType string, body io.Reader) response {
	t.Helper()
	req := c.request(t, method, "http://chuyenhoa.test"+path, contentType, body)
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	c.srv.check.ServeHTTP(rec, req)
	return response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// serveJSON sends in (marshalled unless it is a string) in process, fails
// unless the answer has status want, and decodes it into out when set.
func (c *client) serveJSON(t testing.TB, method, path string, in any, want int, out any) response {
	t.Helper()
	var body io.Reader
	ct := ""
	switch v := in.(type) {
	case nil:
	case string:
		body, ct = strings.NewReader(v), echo.MIMEApplicationJSON
	default:
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		body, ct = bytes.NewReader(b), echo.MIMEApplicationJSON
	}
	res := c.serve(t, method, path, ct, body)
	if res.Status != want {
		t.Fatalf("%s %s as %s = %d %s, want %d", method, path, c.name(), res.Status, res.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
	return res
}

func (c *client) name() string {
	if c.User == nil {
		return "anonymous"
	}
	return c.User.Username
}

// pathFor fills the :params of a route path with id.
func pathFor(route string, id any) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			parts[i] = fmt.Sprint(id)
		}
	}
	return strings.Join(parts, "/")
}
