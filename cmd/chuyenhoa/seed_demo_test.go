package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain/demo"
	"chuyenhoa/store"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

var passwordLine = regexp.MustCompile(`(?m)^\s+(demo\.[a-z]+)\s+\S+\s+.*password: (\S+)$`)

func TestSeedDemo(t *testing.T) {
	for _, dbName := range []string{"sqlite", "postgres"} {
		t.Run(dbName, func(t *testing.T) {
			c := newCLI(t)
			dsn := c.env["CHUYENHOA_DATABASE_URL"]
			if dbName == "postgres" {
				dsn = storetest.MustPostgresURL(t)
				c.env["CHUYENHOA_DATABASE_URL"] = dsn
			}
			out, _ := c.mustRun("seed", "demo")
			passwords := map[string]string{}
			for _, m := range passwordLine.FindAllStringSubmatch(out, -1) {
				passwords[m[1]] = m[2]
			}
			if len(passwords) != 5 {
				t.Fatalf("first run printed %d passwords, want 5:\n%s", len(passwords), out)
			}
			again, _ := c.mustRun("seed", "demo")
			if strings.Contains(again, "password:") || strings.Contains(again, ": created") {
				t.Errorf("second run created something or printed passwords:\n%s", again)
			}
			if got := strings.Count(again, "exists; password unchanged"); got != 5 {
				t.Errorf("second run says %d users exist, want 5:\n%s", got, again)
			}

			ctx := context.Background()
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			wantTasks := len(demo.DistrictPlan().Plan.Tasks)
			for table, want := range map[string]int{
				"units": len(demo.Units()), "campaigns": 1, "target_areas": 4, "target_area_events": 8, "plans": 2,
				"plan_objectives": 8, "plan_tasks": 2 * wantTasks, "committee_members": len(demo.Committee()) + len(demo.WardCommittee()),
				"users": 5, "baselines": 4, "reports": 4, "evaluations": 4,
				// Nếnh submitted twice, Quang Châu and Vân Trung once; Tăng Tiến is a draft.
				"report_revisions": 4,
				// Nếnh: create, submit, return, submit, assess, accept; Quang Châu: create, submit;
				// Vân Trung: create, submit, return; Tăng Tiến: create.
				"report_events": 12,
			} {
				n, err := db.NewSelect().Table(table).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if int(n) != want {
					t.Errorf("%s: %d rows after two runs, want %d", table, n, want)
				}
			}
			checkSeedThroughAPI(t, db, passwords)
		})
	}
}

// checkSeedThroughAPI signs in as the demo ward user and reads the seed plan back.
func checkSeedThroughAPI(t *testing.T, db *bun.DB, passwords map[string]string) {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ids := &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0)}
	srv := api.New(api.Options{DB: db, Authorizer: &api.TokenAuthorizer{Identity: ids, Enforcer: enf}, Identity: ids, Enforcer: enf,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: filepath.Join(t.TempDir(), "data")})
	ts := httptest.NewServer(srv.Echo)
	defer ts.Close()
	get := func(token, path string, out any) {
		t.Helper()
		req, _ := http.NewRequest("GET", ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, res.StatusCode, b)
		}
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatal(err)
		}
	}
	signIn := func(user string) string {
		t.Helper()
		body := fmt.Sprintf(`{"username":%q,"password":%q}`, user, passwords[user])
		res, err := ts.Client().Post(ts.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var login struct{ Token string }
		json.NewDecoder(res.Body).Decode(&login)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || login.Token == "" {
			t.Fatalf("%s cannot sign in with the printed password: %d", user, res.StatusCode)
		}
		return login.Token
	}
	checkReportsThroughAPI(t, signIn("demo.tinh"), get)
	var list struct{ Items []campaigns.PlanSummary }
	get(signIn("demo.xa"), "/api/v1/plans", &list)
	if len(list.Items) != 2 {
		t.Fatalf("the ward sees %d plans, want the district's and its own", len(list.Items))
	}
	want := demo.DistrictPlan().Plan
	for _, s := range list.Items {
		var p campaigns.Plan
		get(signIn("demo.xa"), fmt.Sprintf("/api/v1/plans/%d", s.ID), &p)
		if s.UnitName == "Phường Nếnh" {
			if p.Status != "draft" || p.Due.String() != "2024-03-12" || p.CopiedFromID == nil {
				t.Errorf("ward plan = %s due %v copied from %v", p.Status, p.Due, p.CopiedFromID)
			}
			continue
		}
		if p.Status != "approved" || p.Title != want.Title || p.Preamble != want.Preamble {
			t.Errorf("district plan = %s %q", p.Status, p.Title)
		}
		if !strings.Contains(p.Preamble, "Quyết định số 301/QĐ-BCĐ") {
			t.Errorf("preamble lost its diacritics: %q", p.Preamble)
		}
		if len(p.Objectives) != len(want.Objectives) || len(p.Tasks) != len(want.Tasks) {
			t.Fatalf("district plan has %d objectives and %d tasks, want %d and %d", len(p.Objectives), len(p.Tasks), len(want.Objectives), len(want.Tasks))
		}
		for i, o := range p.Objectives {
			if o.Text != want.Objectives[i].Text || o.Kind != want.Objectives[i].Kind {
				t.Errorf("objective %d = %q, want %q", i+1, o.Text, want.Objectives[i].Text)
			}
		}
		for i, task := range p.Tasks {
			w := want.Tasks[i]
			if task.Title != w.Title || task.Description != w.Description || task.Section != w.Section || task.Due != w.Due || task.Responsible != w.Responsible {
				t.Errorf("task %d = %q, want %q", i+1, task.Title, w.Title)
			}
		}
		if got := p.Objectives[3].Text; !strings.Contains(got, "phường Nénh trong năm 2024") {
			t.Errorf("fourth objective = %q", got)
		}
	}
}

// checkReportsThroughAPI reads the demo's Q1 reports and their evaluations
// as the province: Nếnh accepted with every criterion met after one return,
// the three other areas submitted late, returned with a reason, and in draft.
func checkReportsThroughAPI(t *testing.T, token string, get func(token, path string, out any)) {
	t.Helper()
	var areas struct {
		Items []struct {
			ID       int64  `json:"id"`
			UnitCode string `json:"unit_code"`
			Status   string `json:"status"`
		} `json:"items"`
	}
	get(token, "/api/v1/target-areas", &areas)
	if len(areas.Items) != 4 {
		t.Fatalf("the province sees %d target areas, want 4", len(areas.Items))
	}
	type evaluation struct {
		ReportStatus string `json:"report_status"`
		Timeliness   string `json:"timeliness"`
		MetCount     int    `json:"met_count"`
		AllMet       bool   `json:"all_met"`
		C2, C4, C5   string
	}
	want := map[string]struct {
		status, timeliness string
		met                int
	}{
		demo.NenhCode: {"accepted", "on_time", 7}, demo.QuangChauCode: {"submitted", "late", 5},
		demo.VanTrungCode: {"returned", "on_time", 1}, demo.TangTienCode: {"draft", "missing", 1},
	}
	for _, a := range areas.Items {
		var ev evaluation
		get(token, fmt.Sprintf("/api/v1/target-areas/%d/evaluations/Q1", a.ID), &ev)
		w := want[a.UnitCode]
		if ev.ReportStatus != w.status || ev.Timeliness != w.timeliness || ev.MetCount != w.met {
			t.Errorf("%s Q1 evaluation = %+v, want %s, %s, %d met", a.UnitCode, ev, w.status, w.timeliness, w.met)
		}
		var r struct {
			Status        string            `json:"status"`
			Revision      int               `json:"revision"`
			ReviewComment string            `json:"review_comment"`
			FieldComments map[string]string `json:"field_comments"`
			Values        map[string]any    `json:"values"`
		}
		get(token, fmt.Sprintf("/api/v1/target-areas/%d/reports/Q1", a.ID), &r)
		switch a.UnitCode {
		case demo.NenhCode:
			if !ev.AllMet || r.Revision != 2 || r.Values["households_reached"] != 6120.0 {
				t.Errorf("Nếnh Q1 = %+v", r)
			}
		case demo.VanTrungCode:
			if !strings.Contains(r.ReviewComment, "tái phạm") || r.FieldComments["tips_processed"] == "" {
				t.Errorf("Vân Trung Q1 returned without its reason: %+v", r)
			}
		}
	}
}
