package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestControlCharactersRefused walks every route of the server (JSON API
// and web pages) with a NUL or another control character in a JSON
// string, a form field, a query parameter and a multipart field, as every
// role: the answer is never a 5xx, and wherever the input is read it is a
// 400 naming the field (issue 17, item 8).
func TestControlCharactersRefused(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		w.mustApprovedArea(c.ID, w.nenh.ID)
		ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
		enf, err := authz.New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		ids := &identity.Service{DB: db, Grants: enf, Hasher: fastHasher}
		srv := api.New(api.Options{
			DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf,
			Version: "test", DataDir: t.TempDir(),
		})
		ts := httptest.NewServer(srv.Echo)
		defer ts.Close()
		param := regexp.MustCompile(`:[a-z_]+`)
		fill := func(path string) string {
			return param.ReplaceAllStringFunc(path, func(p string) string {
				if p == ":period" {
					return "Q1"
				}
				return fmt.Sprint(c.ID)
			})
		}
		send := func(method, path, ct string, body []byte, who string) response {
			t.Helper()
			req, err := http.NewRequest(method, ts.URL+path, bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			if ct != "" {
				req.Header.Set("Content-Type", ct)
			}
			if who != "" {
				req.Header.Set("Authorization", "Bearer "+w.tok[who])
			}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return response{Status: res.StatusCode, Header: res.Header, Body: b}
		}
		// namesField says res is the 400 naming field.
		namesField := func(res response, field string) bool {
			if res.Status != http.StatusBadRequest {
				return false
			}
			var e apiError
			if err := json.Unmarshal(res.Body, &e); err != nil {
				return false
			}
			return e.Error.Code == "invalid" && strings.Contains(e.Error.Fields[field], "ký tự điều khiển")
		}
		whos := []string{"", "province", "vy", "nenh", "police", "admin"}
		jsonBodies := map[string]string{
			"full_name":      `{"full_name":"Nguyễn\u0000Văn"}`,
			"note":           `{"version":1,"note":"a\u0007b"}`,
			"tasks[0].title": `{"tasks":[{"title":"x\u0000"}]}`,
			"admin.username": `{"admin":{"username":"ad\u0000min"}}`,
		}
		apiBody := map[string]bool{}
		for _, r := range srv.Routes() {
			if r.Body != "" && r.Body != "csv" && r.Body != "multipart" {
				apiBody[r.Method+" "+r.Path] = true
			}
		}
		checked := 0
		for _, r := range srv.Echo.Routes() {
			if strings.HasSuffix(r.Path, "/logout") {
				continue // would end the sessions the walk signs in with
			}
			path := fill(r.Path)
			switch {
			case r.Method == http.MethodGet || r.Method == http.MethodDelete:
				for _, who := range whos {
					res := send(r.Method, path+"?q=a%00b", "", nil, who)
					if !namesField(res, "q") {
						t.Errorf("%s %s?q=NUL as %q = %d %.200s, want 400 naming q", r.Method, r.Path, who, res.Status, res.Body)
					}
				}
				checked++
			case strings.HasPrefix(r.Path, "/api/"):
				for field, body := range jsonBodies {
					named := false
					for _, who := range whos {
						res := send(r.Method, path, "application/json", []byte(body), who)
						if res.Status >= 500 {
							t.Errorf("%s %s as %q with %s = %d %s", r.Method, r.Path, who, body, res.Status, res.Body)
						}
						named = named || namesField(res, field)
					}
					if apiBody[r.Method+" "+r.Path] && !named {
						t.Errorf("%s %s with %s: no role got the 400 naming %s", r.Method, r.Path, body, field)
					}
				}
				checked++
			default: // a web form
				for _, who := range whos {
					res := send(r.Method, path, "application/x-www-form-urlencoded", []byte("_csrf=x&full_name=Nguy%E1%BB%85n%00V%C4%83n"), who)
					if !namesField(res, "full_name") {
						t.Errorf("form %s %s as %q = %d %.200s, want 400 naming full_name", r.Method, r.Path, who, res.Status, res.Body)
					}
				}
				checked++
			}
		}
		if checked < 100 {
			t.Errorf("walked %d routes only", checked)
		}

		t.Run("sign-in", func(t *testing.T) {
			res := send("POST", "/api/v1/auth/login", "application/json", []byte(`{"username":"cb.nenh\u0000","password":"x"}`), "")
			if !namesField(res, "username") {
				t.Errorf("login = %d %s", res.Status, res.Body)
			}
			res = send("POST", "/login", "application/x-www-form-urlencoded", []byte("username=cb.nenh%00&password=x"), "")
			if !namesField(res, "username") {
				t.Errorf("web login = %d %s", res.Status, res.Body)
			}
			res = send("POST", "/login", "application/x-www-form-urlencoded", []byte("username=cb.nenh%FF&password=x"), "")
			if !namesField(res, "username") {
				t.Errorf("web login with invalid UTF-8 = %d %s", res.Status, res.Body)
			}
		})
		t.Run("multipart", func(t *testing.T) {
			var b bytes.Buffer
			mw := multipart.NewWriter(&b)
			mw.WriteField("owner_type", "task\x00")
			mw.WriteField("owner_id", "1")
			fw, _ := mw.CreateFormFile("file", "a.pdf")
			fw.Write(pdf)
			mw.Close()
			res := send("POST", "/api/v1/attachments", mw.FormDataContentType(), b.Bytes(), "nenh")
			if !namesField(res, "owner_type") {
				t.Errorf("upload = %d %s", res.Status, res.Body)
			}
		})
		t.Run("text that belongs in notes passes", func(t *testing.T) {
			res := send("POST", "/api/v1/auth/login", "application/json", []byte(`{"username":"cb.nenh","password":"sai\tmật\nkhẩu\r"}`), "")
			if res.Status != http.StatusUnauthorized {
				t.Errorf("login with tab and newlines = %d %s, want 401", res.Status, res.Body)
			}
		})
	})
}
