package api_test

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
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

// world is a real server over a real database with the demo tree's shape:
// Bắc Giang, Việt Yên with Nếnh and Quang Châu, Lạng Giang with one ward,
// and one signed-in user per role.
type world struct {
	t  *testing.T
	db *bun.DB
	ts *httptest.Server

	prov, vy, nenh, qc, lg, lgWard, hn *tenants.Unit
	// Bearer tokens by user name: province, vy (district), lg (district),
	// nenh and qc (wards), police (at Nếnh), admin, hanoi (another province).
	tok map[string]string
	// Users by name.
	users map[string]*identity.User
	now   time.Time
	// dataDir is the server's CHUYENHOA_DATA_DIR.
	dataDir string
}

// fastHasher keeps password hashing cheap in tests.
var fastHasher = identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)

// mustWorld builds the world over db; now is the server's clock.
func mustWorld(t *testing.T, db *bun.DB, now time.Time) *world {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: fastHasher}
	w := &world{t: t, db: db, tok: map[string]string{}, users: map[string]*identity.User{}, now: now, dataDir: t.TempDir()}
	srv := api.New(api.Options{
		DB: db, Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf,
		Version: "test", DataDir: w.dataDir, Now: func() time.Time { return w.now },
	})
	w.ts = httptest.NewServer(newAPIChecker(t, srv, srv.Echo))
	t.Cleanup(w.ts.Close)

	units := &tenants.Units{DB: db}
	mk := func(code, name, kind string, parent *tenants.Unit) *tenants.Unit {
		in := tenants.NewUnit{Code: code, Name: name, Kind: kind}
		if parent != nil {
			in.ParentID = &parent.ID
		}
		u, err := units.CreateUnit(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.prov = mk("24", "Tỉnh Bắc Giang", "province", nil)
	w.vy = mk("222", "Thị xã Việt Yên", "district", w.prov)
	w.nenh = mk("07795", "Phường Nếnh", "ward", w.vy)
	w.qc = mk("07798", "Xã Quang Châu", "ward", w.vy)
	w.lg = mk("217", "Huyện Lạng Giang", "district", w.prov)
	w.lgWard = mk("07339", "Thị trấn Kép", "ward", w.lg)
	w.hn = mk("01", "Thành phố Hà Nội", "province", nil)
	for _, u := range []struct {
		name string
		unit *tenants.Unit
		role string
	}{
		{"province", w.prov, "province"}, {"vy", w.vy, "district"}, {"lg", w.lg, "district"},
		{"nenh", w.nenh, "ward"}, {"qc", w.qc, "ward"}, {"police", w.nenh, "police"}, {"admin", nil, "admin"},
		{"hanoi", w.hn, "province"},
	} {
		in := identity.NewUser{Username: "cb." + u.name, FullName: "Cán bộ " + u.name, Roles: []string{u.role}, Password: "mật-khẩu-dài-" + u.name}
		if u.unit != nil {
			in.UnitID = &u.unit.ID
		}
		usr, err := ids.CreateUser(ctx, in)
		if err != nil {
			t.Fatalf("create %s: %v", u.name, err)
		}
		w.users[u.name] = usr
		var lr struct {
			Token string `json:"token"`
		}
		w.mustCall("", "POST", "/api/v1/auth/login", map[string]string{"username": in.Username, "password": in.Password}, http.StatusOK, &lr)
		w.tok[u.name] = lr.Token
	}
	return w
}

// call sends body (nil, a string, []byte or a value to encode as JSON) as
// the user named who ("" for anonymous).
func (w *world) call(who, method, path string, body any) response {
	w.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			w.t.Fatal(err)
		}
		r = bytes.NewReader(js)
	}
	req, err := http.NewRequest(method, w.ts.URL+path, r)
	if err != nil {
		w.t.Fatal(err)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		tok, ok := w.tok[who]
		if !ok {
			w.t.Fatalf("no user %q", who)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return w.send(req)
}

func (w *world) send(req *http.Request) response {
	w.t.Helper()
	res, err := w.ts.Client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		w.t.Fatal(err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

// mustCall is call failing the test unless the status is want; it decodes the answer into out.
func (w *world) mustCall(who, method, path string, body any, want int, out any) {
	w.t.Helper()
	res := w.call(who, method, path, body)
	if res.Status != want {
		w.t.Fatalf("%s %s %s = %d %s, want %d", who, method, path, res.Status, res.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			w.t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
}

// refused checks that the call fails with status and code, that the
// message contains every one of wantText, and returns the error.
func (w *world) refused(who, method, path string, body any, status int, code string, wantText ...string) apiError {
	w.t.Helper()
	res := w.call(who, method, path, body)
	e := mustAPIError(w.t, res, status, code)
	if w.t.Failed() {
		w.t.Logf("  by %s: %s %s", who, method, path)
	}
	for _, s := range wantText {
		if !strings.Contains(e.Error.Message, s) && !strings.Contains(fmt.Sprint(e.Error.Fields), s) {
			w.t.Errorf("%s %s %s: error %q (fields %v) does not mention %q", who, method, path, e.Error.Message, e.Error.Fields, s)
		}
	}
	return e
}

// mustField checks that a 400 names field.
func (w *world) mustField(who, method, path string, body any, field string) apiError {
	w.t.Helper()
	e := w.refused(who, method, path, body, http.StatusBadRequest, "invalid")
	if _, ok := e.Error.Fields[field]; !ok {
		w.t.Errorf("%s %s: fields %v do not name %q", method, path, e.Error.Fields, field)
	}
	return e
}

// count returns the number of rows of table.
func (w *world) count(table string) int {
	w.t.Helper()
	n, err := w.db.NewSelect().Table(table).Count(context.Background())
	if err != nil {
		w.t.Fatal(err)
	}
	return int(n)
}

// apiError is the one error shape of the API with any details.
type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
		Details json.RawMessage   `json:"details"`
	} `json:"error"`
}

// mustAPIError checks that res is an error in the one JSON shape with status and code.
func mustAPIError(t *testing.T, res response, status int, code string) apiError {
	t.Helper()
	if res.Status != status {
		t.Errorf("status = %d, want %d (%s)", res.Status, status, res.Body)
	}
	var e apiError
	dec := json.NewDecoder(bytes.NewReader(res.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("body %s does not have the error shape: %v", res.Body, err)
	}
	if e.Error.Code != code {
		t.Errorf("code = %q, want %q (%s)", e.Error.Code, code, res.Body)
	}
	if e.Error.Message == "" {
		t.Errorf("body %s has no message", res.Body)
	}
	return e
}

// mustJSON decodes b into out.
func mustJSON(t *testing.T, b []byte, out any) {
	t.Helper()
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}
