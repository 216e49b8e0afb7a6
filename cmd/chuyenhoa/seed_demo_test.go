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
				"units": len(demo.Units()), "campaigns": 1, "target_areas": 1, "target_area_events": 2, "plans": 2,
				"plan_objectives": 8, "plan_tasks": 2 * wantTasks, "committee_members": len(demo.Committee()) + len(demo.WardCommittee()),
				"users": 5,
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
	body := fmt.Sprintf(`{"username":"demo.xa","password":%q}`, passwords["demo.xa"])
	res, err := ts.Client().Post(ts.URL+"/api/v1/auth/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var login struct{ Token string }
	json.NewDecoder(res.Body).Decode(&login)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || login.Token == "" {
		t.Fatalf("demo.xa cannot sign in with the printed password: %d", res.StatusCode)
	}
	var list struct{ Items []campaigns.PlanSummary }
	get(login.Token, "/api/v1/plans", &list)
	if len(list.Items) != 2 {
		t.Fatalf("the ward sees %d plans, want the district's and its own", len(list.Items))
	}
	want := demo.DistrictPlan().Plan
	for _, s := range list.Items {
		var p campaigns.Plan
		get(login.Token, fmt.Sprintf("/api/v1/plans/%d", s.ID), &p)
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
