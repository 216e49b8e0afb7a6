package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// adminSeq numbers the admins of servers sharing one database.
var adminSeq atomic.Int64

// mustServer runs the real server over db and returns it with a signed-in
// platform admin, who holds every unit permission over every tenant.
func mustServer(t *testing.T, db *bun.DB, checks ...api.Check) (*api.Server, *client) {
	t.Helper()
	s := newTestServer(t, db, func(o *api.Options) { o.Checks = checks })
	return s.Srv, s.mustAdmin(t, fmt.Sprintf("quantri%d", adminSeq.Add(1)))
}

func do(t *testing.T, c *client, method, path, contentType string, body io.Reader) response {
	t.Helper()
	return c.do(t, method, path, contentType, body)
}

// mustDo sends a request and decodes the JSON answer into out, failing
// unless the status is want.
func mustDo(t *testing.T, ts *client, method, path, contentType, body string, want int, out any) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	res := do(t, ts, method, path, contentType, r)
	if res.Status != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, res.Status, res.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
}

// errorBody is the one error shape of the API, decoded strictly.
type errorBody struct {
	Error struct {
		Code    string                `json:"code"`
		Message string                `json:"message"`
		Fields  map[string]string     `json:"fields"`
		Details []tenants.ImportError `json:"details"`
	} `json:"error"`
}

// mustError checks that res is an error in the one JSON shape with the
// status and code, and returns it.
func mustError(t *testing.T, res response, status int, code string) errorBody {
	t.Helper()
	if res.Status != status {
		t.Errorf("status = %d, want %d (%s)", res.Status, status, res.Body)
	}
	if got, want := res.Header.Get("Content-Type"), "application/json"; !strings.HasPrefix(got, want) {
		t.Errorf("content type = %q, want %s", got, want)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(res.Body, &top); err != nil {
		t.Fatalf("body %s is not JSON: %v", res.Body, err)
	}
	if _, ok := top["error"]; len(top) != 1 || !ok {
		t.Errorf("body %s: want exactly one key \"error\"", res.Body)
	}
	var e errorBody
	dec := json.NewDecoder(bytes.NewReader(res.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("body %s does not have the error shape: %v", res.Body, err)
	}
	if got, want := e.Error.Code, code; got != want {
		t.Errorf("code = %q, want %q (%s)", got, want, res.Body)
	}
	if e.Error.Message == "" {
		t.Errorf("body %s has no message", res.Body)
	}
	return e
}

type page struct {
	Items  []tenants.Unit `json:"items"`
	Total  int            `json:"total"`
	Limit  int            `json:"limit"`
	Offset int            `json:"offset"`
}

func codes(p page) []string {
	out := make([]string, 0, len(p.Items))
	for _, u := range p.Items {
		out = append(out, u.Code)
	}
	return out
}

func multipartCSV(t *testing.T, field, name, content string) (string, io.Reader) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(fw, content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &b
}

func TestUnitsAPI(t *testing.T) {
	t.Parallel() // its own database and server, no Redis, no clock bounds
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		_, ts := mustServer(t, db)
		const js = "application/json"
		var bg, vy, nenh tenants.Unit

		t.Run("create", func(t *testing.T) {
			mustDo(t, ts, "POST", "/api/v1/units", js, `{"code":"24","name":"Tỉnh Bắc Giang","kind":"province","unit_type":"Tỉnh"}`, http.StatusCreated, &bg)
			mustDo(t, ts, "POST", "/api/v1/units", js, fmt.Sprintf(`{"code":"222","name":"Thị xã Việt Yên","kind":"district","parent_id":%d}`, bg.ID), http.StatusCreated, &vy)
			mustDo(t, ts, "POST", "/api/v1/units", js, `{"code":"07795","name":"Phường Nếnh","kind":"ward","parent_code":"222"}`, http.StatusCreated, &nenh)
			if got, want := nenh.Path, fmt.Sprintf("/%d/%d/%d/", bg.ID, vy.ID, nenh.ID); got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
			if nenh.TenantID == nil || *nenh.TenantID != bg.ID {
				t.Errorf("tenant = %v, want %d", nenh.TenantID, bg.ID)
			}
			for i := 1; i <= 4; i++ {
				mustDo(t, ts, "POST", "/api/v1/units", js, fmt.Sprintf(`{"code":"0780%d","name":"Xã Số %d","kind":"ward","parent_id":%d}`, i, i, vy.ID), http.StatusCreated, nil)
			}
		})

		t.Run("read", func(t *testing.T) {
			var u tenants.Unit
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d", nenh.ID), "", "", http.StatusOK, &u)
			if got, want := u.Name, "Phường Nếnh"; got != want {
				t.Errorf("name = %q, want %q", got, want)
			}
			if got, want := u.Code, "07795"; got != want {
				t.Errorf("code = %q, want %q", got, want)
			}
		})

		t.Run("children", func(t *testing.T) {
			var p page
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d/children", bg.ID), "", "", http.StatusOK, &p)
			if got, want := codes(p), []string{"222"}; !reflect.DeepEqual(got, want) {
				t.Errorf("children = %v, want %v", got, want)
			}
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d/children", vy.ID), "", "", http.StatusOK, &p)
			if got, want := p.Total, 5; got != want {
				t.Errorf("district children = %d, want %d", got, want)
			}
		})

		t.Run("subtree and paging", func(t *testing.T) {
			var all page
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d/subtree", bg.ID), "", "", http.StatusOK, &all)
			if got, want := all.Total, 7; got != want {
				t.Fatalf("subtree total = %d, want %d", got, want)
			}
			if got, want := len(all.Items), 7; got != want {
				t.Fatalf("subtree items = %d, want %d", got, want)
			}
			if got, want := all.Items[0].Code, "24"; got != want {
				t.Errorf("first of subtree = %s, want the root %s", got, want)
			}
			var got []string
			for off := 0; off < 7; off += 3 {
				var p page
				mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d/subtree?limit=3&offset=%d", bg.ID, off), "", "", http.StatusOK, &p)
				if p.Total != 7 || p.Limit != 3 || p.Offset != off {
					t.Errorf("page at %d: total %d limit %d offset %d", off, p.Total, p.Limit, p.Offset)
				}
				got = append(got, codes(p)...)
			}
			if want := codes(all); !reflect.DeepEqual(got, want) {
				t.Errorf("pages = %v, want %v", got, want)
			}
			var p page
			mustDo(t, ts, "GET", "/api/v1/units?q=nenh", "", "", http.StatusOK, &p)
			if got, want := codes(p), []string{"07795"}; !reflect.DeepEqual(got, want) {
				t.Errorf("search nenh = %v, want %v", got, want)
			}
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units?root=%d&kind=district", bg.ID), "", "", http.StatusOK, &p)
			if got, want := codes(p), []string{"222"}; !reflect.DeepEqual(got, want) {
				t.Errorf("districts = %v, want %v", got, want)
			}
		})

		t.Run("rename", func(t *testing.T) {
			var u tenants.Unit
			mustDo(t, ts, "PATCH", fmt.Sprintf("/api/v1/units/%d", nenh.ID), js, `{"name":"Phường Nếnh mới"}`, http.StatusOK, &u)
			if got, want := u.Name, "Phường Nếnh mới"; got != want {
				t.Errorf("name = %q, want %q", got, want)
			}
			mustDo(t, ts, "GET", fmt.Sprintf("/api/v1/units/%d", nenh.ID), "", "", http.StatusOK, &u)
			if got, want := u.Name, "Phường Nếnh mới"; got != want {
				t.Errorf("name after read = %q, want %q", got, want)
			}
		})

		t.Run("import text/csv", func(t *testing.T) {
			var res tenants.ImportResult
			mustDo(t, ts, "POST", "/api/v1/units/import", "text/csv; charset=utf-8",
				"code,name,kind,parent_code\n07203,Phường Trần Phú,ward,213\n213,Thành phố Bắc Giang,district,24\n", http.StatusCreated, &res)
			if got, want := res.ByKind, map[string]int{"district": 1, "ward": 1}; !reflect.DeepEqual(got, want) {
				t.Errorf("by kind = %v, want %v", got, want)
			}
			var p page
			mustDo(t, ts, "GET", "/api/v1/units?code=07203", "", "", http.StatusOK, &p)
			if p.Total != 1 || !strings.HasPrefix(p.Items[0].Path, bg.Path) {
				t.Errorf("imported ward = %+v, want one under %s", p.Items, bg.Path)
			}
		})

		t.Run("import multipart", func(t *testing.T) {
			ct, body := multipartCSV(t, "file", "units.csv", "code,name,kind,parent_code\n01,Thành phố Hà Nội,province,\n00004,Phường Ba Đình,ward,01\n")
			res := do(t, ts, "POST", "/api/v1/units/import", ct, body)
			if got, want := res.Status, http.StatusCreated; got != want {
				t.Fatalf("status = %d %s, want %d", got, res.Body, want)
			}
			var out tenants.ImportResult
			if err := json.Unmarshal(res.Body, &out); err != nil {
				t.Fatal(err)
			}
			if got, want := out.Created, 2; got != want {
				t.Errorf("created = %d, want %d", got, want)
			}
		})

		t.Run("bad input", func(t *testing.T) {
			var before page
			mustDo(t, ts, "GET", "/api/v1/units?limit=1000", "", "", http.StatusOK, &before)
			id := fmt.Sprint(vy.ID)
			cases := []struct {
				name        string
				method      string
				path        string
				contentType string
				body        string
				status      int
				code        string
				field       string // a key of fields, when set
			}{
				{"bad id", "GET", "/api/v1/units/abc", "", "", 400, "invalid", "id"},
				{"zero id", "GET", "/api/v1/units/0", "", "", 400, "invalid", "id"},
				{"huge id", "GET", "/api/v1/units/99999999999999999999", "", "", 400, "invalid", "id"},
				{"bad id for children", "GET", "/api/v1/units/x/children", "", "", 400, "invalid", "id"},
				{"bad id for subtree", "GET", "/api/v1/units/-1/subtree", "", "", 400, "invalid", "id"},
				{"absent unit", "GET", "/api/v1/units/987654321", "", "", 404, "not_found", ""},
				{"subtree of absent unit", "GET", "/api/v1/units/987654321/subtree", "", "", 404, "not_found", ""},
				{"bad limit", "GET", "/api/v1/units?limit=abc", "", "", 400, "invalid", "limit"},
				{"limit too large", "GET", "/api/v1/units?limit=5000", "", "", 400, "invalid", "limit"},
				{"negative offset", "GET", "/api/v1/units?offset=-1", "", "", 400, "invalid", "offset"},
				{"bad root", "GET", "/api/v1/units?root=x", "", "", 400, "invalid", "root"},
				{"bad kind filter", "GET", "/api/v1/units?kind=village", "", "", 400, "invalid", "kind"},
				{"bad JSON", "POST", "/api/v1/units", js, `{"code":`, 400, "invalid", "body"},
				{"not JSON", "POST", "/api/v1/units", js, `code=1`, 400, "invalid", "body"},
				{"empty body", "POST", "/api/v1/units", js, ``, 400, "invalid", "body"},
				{"two objects", "POST", "/api/v1/units", js, `{} {}`, 400, "invalid", "body"},
				{"array body", "POST", "/api/v1/units", js, `[]`, 400, "invalid", "body"},
				{"unknown field", "POST", "/api/v1/units", js, `{"code":"1","nme":"x","kind":"ward"}`, 400, "invalid", "nme"},
				{"wrong type", "POST", "/api/v1/units", js, `{"code":"1","name":5,"kind":"ward"}`, 400, "invalid", "name"},
				{"wrong type of parent", "POST", "/api/v1/units", js, `{"code":"1","name":"A","kind":"ward","parent_id":"x"}`, 400, "invalid", "parent_id"},
				{"bad kind", "POST", "/api/v1/units", js, `{"code":"1","name":"A","kind":"village","parent_id":` + id + `}`, 400, "invalid", "kind"},
				{"empty name", "POST", "/api/v1/units", js, `{"code":"1","name":"  ","kind":"ward","parent_id":` + id + `}`, 400, "invalid", "name"},
				{"control character in name", "POST", "/api/v1/units", js, `{"code":"1","name":"A\u0000B","kind":"ward","parent_id":` + id + `}`, 400, "invalid", "name"},
				{"control character in unit type", "POST", "/api/v1/units", js, `{"code":"1","name":"A","unit_type":"\u0000","kind":"ward","parent_id":` + id + `}`, 400, "invalid", "unit_type"},
				{"unknown parent", "POST", "/api/v1/units", js, `{"code":"1","name":"A","kind":"ward","parent_id":987654321}`, 400, "invalid", "parent_id"},
				{"district under district", "POST", "/api/v1/units", js, `{"code":"1","name":"A","kind":"district","parent_id":` + id + `}`, 400, "invalid", "parent_id"},
				{"duplicate code", "POST", "/api/v1/units", js, `{"code":"07795","name":"A","kind":"ward","parent_id":` + id + `}`, 409, "conflict", "code"},
				{"rename bad id", "PATCH", "/api/v1/units/abc", js, `{"name":"A"}`, 400, "invalid", "id"},
				{"rename bad JSON", "PATCH", "/api/v1/units/" + id, js, `{"name":`, 400, "invalid", "body"},
				{"rename unknown field", "PATCH", "/api/v1/units/" + id, js, `{"title":"A"}`, 400, "invalid", "title"},
				{"rename wrong type", "PATCH", "/api/v1/units/" + id, js, `{"name":["A"]}`, 400, "invalid", "name"},
				{"rename empty name", "PATCH", "/api/v1/units/" + id, js, `{"name":""}`, 400, "invalid", "name"},
				{"rename absent unit", "PATCH", "/api/v1/units/987654321", js, `{"name":"A"}`, 404, "not_found", ""},
				{"import missing column", "POST", "/api/v1/units/import", "text/csv", "code,name,parent_code\n1,A,222\n", 400, "invalid", "header"},
				{"import empty", "POST", "/api/v1/units/import", "text/csv", "", 400, "invalid", "file"},
				{"import bad UTF-8 parent", "POST", "/api/v1/units/import", "text/csv", "code,name,kind,parent_code\n10001,A,ward,\xff\xfe\n", 400, "invalid", ""},
				{"import NUL in unit type", "POST", "/api/v1/units/import", "text/csv", "code,name,kind,parent_code,unit_type\n10001,A,ward,222,\x00\n", 400, "invalid", ""},
				{"import multipart without file", "POST", "/api/v1/units/import", "multipart/form-data; boundary=x", "--x--\r\n", 400, "invalid", "file"},
				{"unknown route", "GET", "/api/v1/nothing", "", "", 404, "not_found", ""},
				{"method not allowed", "DELETE", "/api/v1/units/" + id, "", "", 405, "invalid", ""},
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					var body io.Reader
					if tc.body != "" {
						body = strings.NewReader(tc.body)
					}
					res := do(t, ts, tc.method, tc.path, tc.contentType, body)
					if res.Status >= 500 {
						t.Errorf("bad input answered %d: %s", res.Status, res.Body)
					}
					e := mustError(t, res, tc.status, tc.code)
					if _, ok := e.Error.Fields[tc.field]; tc.field != "" && !ok {
						t.Errorf("fields = %v, want %q named", e.Error.Fields, tc.field)
					}
				})
			}

			t.Run("bad CSV names every line", func(t *testing.T) {
				csv := "code,name,kind,parent_code\n" +
					"10001,Xã A,ward,222\n" +
					"10002,Xã B,ward,nowhere\n" +
					"10003,Xã C,hamlet,222\n" +
					"07795,Xã D,ward,222\n" +
					"10005,,ward,222\n" +
					"10006,\"Xã \"E\",ward,222\n" +
					"501,Huyện F,district,502\n" +
					"502,Huyện G,district,501\n"
				for _, ct := range []string{"text/csv", "multipart"} {
					t.Run(ct, func(t *testing.T) {
						var res response
						if ct == "multipart" {
							mct, body := multipartCSV(t, "file", "bad.csv", csv)
							res = do(t, ts, "POST", "/api/v1/units/import", mct, body)
						} else {
							res = do(t, ts, "POST", "/api/v1/units/import", ct, strings.NewReader(csv))
						}
						e := mustError(t, res, 400, "invalid")
						var lines []string
						for _, d := range e.Error.Details {
							if d.Message == "" {
								t.Errorf("line %d %s: no message", d.Line, d.Field)
							}
							lines = append(lines, fmt.Sprintf("%d:%s", d.Line, d.Field))
						}
						sort.Strings(lines)
						want := []string{"3:parent_code", "4:kind", "5:code", "6:name", "7:file", "8:parent_code", "9:parent_code"}
						sort.Strings(want)
						if !reflect.DeepEqual(lines, want) {
							t.Errorf("details = %v, want %v", lines, want)
						}
					})
				}
			})

			var after page
			mustDo(t, ts, "GET", "/api/v1/units?limit=1000", "", "", http.StatusOK, &after)
			if !reflect.DeepEqual(after, before) {
				t.Errorf("bad input changed the tree: %d units, was %d", after.Total, before.Total)
			}
		})
	})
}

func TestHealth(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		down := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond, MaxRetries: -1})
		t.Cleanup(func() { down.Close() })
		downCheck := api.Check{Name: "redis", Ping: func(ctx context.Context) error { return down.Ping(ctx).Err() }}

		t.Run("healthz", func(t *testing.T) {
			_, ts := mustServer(t, db)
			var body map[string]string
			mustDo(t, ts, "GET", "/healthz", "", "", http.StatusOK, &body)
			if got, want := body["status"], "ok"; got != want {
				t.Errorf("status = %q, want %q", got, want)
			}
		})
		t.Run("readyz with database", func(t *testing.T) {
			_, ts := mustServer(t, db)
			mustDo(t, ts, "GET", "/readyz", "", "", http.StatusOK, nil)
		})
		t.Run("readyz with database and Redis", func(t *testing.T) {
			rdb := storetest.MustRedis(t)
			_, ts := mustServer(t, db, api.Check{Name: "redis", Ping: func(ctx context.Context) error { return rdb.Ping(ctx).Err() }})
			var body struct{ Checks map[string]string }
			mustDo(t, ts, "GET", "/readyz", "", "", http.StatusOK, &body)
			if got, want := body.Checks, map[string]string{"database": "ok", "redis": "ok"}; !reflect.DeepEqual(got, want) {
				t.Errorf("checks = %v, want %v", got, want)
			}
		})
		t.Run("readyz when Redis is unreachable", func(t *testing.T) {
			// Degraded, not unready: the views come from the database
			// (issue 17, item 16).
			_, ts := mustServer(t, db, downCheck)
			var body struct{ Checks map[string]string }
			mustDo(t, ts, "GET", "/readyz", "", "", http.StatusOK, &body)
			if got, want := body.Checks["redis"], "unreachable"; got != want {
				t.Errorf("redis check = %q, want %q", got, want)
			}
			// The process itself is still up.
			mustDo(t, ts, "GET", "/healthz", "", "", http.StatusOK, nil)
		})
	})
}

func TestOpenAPICoversEveryRoute(t *testing.T) {
	srv, ts := mustServer(t, storetest.MustSQLite(t))
	res := do(t, ts, "GET", "/api/openapi.json", "", nil)
	if got, want := res.Status, http.StatusOK; got != want {
		t.Fatalf("status = %d, want %d", got, want)
	}
	if !json.Valid(res.Body) {
		t.Fatalf("document is not valid JSON")
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
	}
	n := 0
	for _, r := range srv.Echo.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1") {
			continue
		}
		n++
		path := r.Path
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				path = strings.Replace(path, seg, "{"+seg[1:]+"}", 1)
			}
		}
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in the OpenAPI document", r.Method, path)
		}
	}
	if n == 0 {
		t.Fatal("no /api/v1 routes registered")
	}
}
