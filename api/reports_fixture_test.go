package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/outbox"
	"chuyenhoa/tenants"
)

// clock is the server's settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// vnTime returns 09:00 in Vietnam on the date.
func vnTime(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 9, 0, 0, 0, domain.VietnamLocation())
}

// reportFixture is a real server with sign-in over a real database: Bắc
// Giang with Việt Yên (Nếnh and Quang Châu) and Lạng Giang (Tân Dĩnh),
// one user per role, the 2024 campaign and Nếnh as a target area.
type reportFixture struct {
	db    *bun.DB
	ts    *httptest.Server
	ids   *identity.Service
	views *cache.Views
	clock *clock
	root  context.Context

	prov, dist, nenh, quang, dist2, ward2 *tenants.Unit
	campaignID, nenhTA                    int64
	// tokens by user name: province, district, ward, police (ward police),
	// dpolice (district police), ward2 (a ward of another district),
	// district2, admin.
	tok map[string]string
}

func mustReportFixture(t *testing.T, db *bun.DB) *reportFixture {
	t.Helper()
	return mustReportFixtureWith(t, db, cache.NewViews(cache.NewMemory()))
}

// mustReportFixtureWith is mustReportFixture with the server's view cache.
func mustReportFixtureWith(t *testing.T, db *bun.DB, views *cache.Views) *reportFixture {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}, 0)}
	clk := &clock{t: vnTime(2024, time.March, 1)}
	// The outbox is not started: the events stay in the queue for the
	// tests to read.
	events, err := outbox.New(db, outbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := api.New(api.Options{
		DB:         db,
		Logger:     slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
		Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf},
		Identity:   ids, Enforcer: enf, Version: "test", Now: clk.Now, Views: views, Outbox: events,
	})
	ts := httptest.NewServer(newAPIChecker(t, srv, srv.Echo))
	t.Cleanup(ts.Close)
	f := &reportFixture{db: db, ts: ts, ids: ids, views: views, clock: clk, root: ctx, tok: map[string]string{}}
	f.prov = f.unit(t, tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province"})
	f.dist = f.unit(t, tenants.NewUnit{Code: "222", Name: "Thị xã Việt Yên", Kind: "district", ParentID: &f.prov.ID})
	f.nenh = f.unit(t, tenants.NewUnit{Code: "07795", Name: "Phường Nếnh", Kind: "ward", ParentID: &f.dist.ID})
	f.quang = f.unit(t, tenants.NewUnit{Code: "07798", Name: "Xã Quang Châu", Kind: "ward", ParentID: &f.dist.ID})
	f.dist2 = f.unit(t, tenants.NewUnit{Code: "217", Name: "Huyện Lạng Giang", Kind: "district", ParentID: &f.prov.ID})
	f.ward2 = f.unit(t, tenants.NewUnit{Code: "07360", Name: "Xã Tân Dĩnh", Kind: "ward", ParentID: &f.dist2.ID})
	for _, u := range []struct {
		name string
		unit *tenants.Unit
		role string
	}{
		{"province", f.prov, "province"}, {"district", f.dist, "district"}, {"ward", f.nenh, "ward"},
		{"police", f.nenh, "police"}, {"dpolice", f.dist, "police"}, {"ward2", f.ward2, "ward"},
		{"district2", f.dist2, "district"}, {"admin", nil, "admin"},
	} {
		f.tok[u.name] = f.user(t, "u."+u.name, u.unit, u.role)
	}
	f.campaignID = f.campaign(t, 2024)
	f.nenhTA = f.targetAreas(t, f.campaignID, f.nenh.ID)[0]
	return f
}

func (f *reportFixture) unit(t *testing.T, in tenants.NewUnit) *tenants.Unit {
	t.Helper()
	u, err := tenants.CreateUnit(f.root, f.db, in, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// user creates a user and signs in through the API, returning the token.
func (f *reportFixture) user(t *testing.T, name string, unit *tenants.Unit, roles ...string) string {
	t.Helper()
	pw := "mật-khẩu-dài-" + name
	in := identity.NewUser{Username: name, FullName: "Cán bộ " + name, Roles: roles, Password: pw}
	if unit != nil {
		in.UnitID = &unit.ID
	}
	if _, err := f.ids.CreateUser(f.root, in); err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	body, _ := json.Marshal(api.LoginRequest{Username: name, Password: pw})
	var out api.LoginResponse
	f.must(t, "", "POST", "/api/v1/auth/login", string(body), http.StatusOK, &out)
	return out.Token
}

// campaign creates the province's campaign of year through the API, with
// the seed's defaults.
func (f *reportFixture) campaign(t *testing.T, year int) int64 {
	t.Helper()
	var c struct {
		ID int64 `json:"id"`
	}
	body := fmt.Sprintf(`{"year":%d,"decision":{"number":"301/QĐ-BCĐ","date":"%d-02-07","signer":"Trưởng ban"}}`, year, year)
	f.must(t, f.tok["province"], "POST", "/api/v1/campaigns", body, http.StatusCreated, &c)
	return c.ID
}

// targetAreas makes units target areas of the campaign through the API:
// the district proposes, the province approves, the district starts.
func (f *reportFixture) targetAreas(t *testing.T, campaignID int64, units ...int64) []int64 {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"campaign_id": campaignID, "unit_ids": units, "reason": "Phức tạp về TTATXH"})
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	f.must(t, f.tok["district"], "POST", "/api/v1/target-areas", string(b), http.StatusCreated, &list)
	ids := make([]int64, len(list.Items))
	for i, it := range list.Items {
		ids[i] = it.ID
		f.must(t, f.tok["province"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/approve", it.ID),
			`{"decision":{"number":"301/QĐ-BCĐ","date":"2024-02-07"}}`, http.StatusOK, nil)
		f.must(t, f.tok["district"], "POST", fmt.Sprintf("/api/v1/target-areas/%d/start", it.ID), `{}`, http.StatusOK, nil)
	}
	return ids
}

// do sends a request as the user whose token is tok ("" for none).
func (f *reportFixture) do(t testing.TB, tok, method, path, body string, header ...string) response {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.ts.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := f.ts.Client().Do(req)
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

// must sends a request and decodes the answer into out, failing unless the status is want.
func (f *reportFixture) must(t testing.TB, tok, method, path, body string, want int, out any) response {
	t.Helper()
	res := f.do(t, tok, method, path, body)
	if res.Status != want {
		t.Fatalf("%s %s = %d %s, want %d", method, path, res.Status, res.Body, want)
	}
	if out != nil {
		if err := json.Unmarshal(res.Body, out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, res.Body, err)
		}
	}
	return res
}

// apiReport is a report as the API answers it.
type apiReport struct {
	ID                int64                      `json:"id"`
	TargetAreaID      int64                      `json:"target_area_id"`
	Period            string                     `json:"period"`
	Status            string                     `json:"status"`
	Revision          int                        `json:"revision"`
	SubmittedRevision int                        `json:"submitted_revision"`
	Version           int                        `json:"version"`
	Values            map[string]json.RawMessage `json:"values"`
	FieldComments     map[string]string          `json:"field_comments"`
	ReviewComment     string                     `json:"review_comment"`
	Assessment        *domain.Assessment         `json:"assessment"`
	Late              bool                       `json:"late"`
	Timeliness        string                     `json:"timeliness"`
}

// apiEvaluation is an evaluation as the API answers it.
type apiEvaluation struct {
	Period       string `json:"period"`
	ReportStatus string `json:"report_status"`
	Timeliness   string `json:"timeliness"`
	MetCount     int    `json:"met_count"`
	AllMet       bool   `json:"all_met"`
	C1           string `json:"c1"`
	C2           string `json:"c2"`
	C3           string `json:"c3"`
	C4           string `json:"c4"`
	C5           string `json:"c5"`
	C6           string `json:"c6"`
	C7           string `json:"c7"`
	Result       struct {
		Criteria []struct {
			Number int    `json:"number"`
			Status string `json:"status"`
			Reason string `json:"reason"`
			Rates  []struct {
				Percent string `json:"percent"`
			} `json:"rates"`
		} `json:"criteria"`
		MetCount int  `json:"met_count"`
		AllMet   bool `json:"all_met"`
	} `json:"result"`
}

func (e apiEvaluation) statuses() [7]string {
	return [7]string{e.C1, e.C2, e.C3, e.C4, e.C5, e.C6, e.C7}
}

func reportPath(ta int64, period string) string {
	return fmt.Sprintf("/api/v1/target-areas/%d/reports/%s", ta, period)
}

func saveBody(version int, values string) string {
	return fmt.Sprintf(`{"version":%d,"values":%s}`, version, values)
}
