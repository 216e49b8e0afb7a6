package api_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestNoSelfRoleOrStatusChange: nobody changes its own roles or status,
// through the API or the web user form; its name, language and password
// it may change, and another manager may change its roles (issue 17,
// item 5).
func TestNoSelfRoleOrStatusChange(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		self := func(who string) string { return fmt.Sprintf("/api/v1/users/%d", w.users[who].ID) }
		for _, tc := range []struct {
			name, who string
			body      map[string]any
			field     string
		}{
			{"district makes itself police", "vy", map[string]any{"roles": []string{"district", "police"}}, "roles"},
			{"province drops its role", "province", map[string]any{"roles": []string{"police"}}, "roles"},
			{"province disables itself", "province", map[string]any{"status": "disabled"}, "status"},
			{"admin disables itself", "admin", map[string]any{"status": "disabled"}, "status"},
			{"district with a name and a new role", "vy", map[string]any{"full_name": "Tên mới", "roles": []string{"police"}}, "roles"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := w.count("audit_log")
				e := w.refused(tc.who, "PATCH", self(tc.who), tc.body, http.StatusForbidden, "forbidden")
				if _, ok := e.Error.Fields[tc.field]; !ok {
					t.Errorf("fields %v do not name %s", e.Error.Fields, tc.field)
				}
				var u struct {
					Roles    []string `json:"roles"`
					Status   string   `json:"status"`
					FullName string   `json:"full_name"`
				}
				w.mustCall(tc.who, "GET", "/api/v1/me", nil, http.StatusOK, &u)
				if fmt.Sprint(u.Roles) != fmt.Sprint(w.users[tc.who].Roles) || u.Status != "active" || u.FullName == "Tên mới" {
					t.Errorf("after a refused self-change: %+v", u)
				}
				if got := w.count("audit_log") - before; got != 0 {
					// A refused request leaves no user.update entry.
					var n int
					w.db.NewSelect().Table("audit_log").ColumnExpr("COUNT(*)").Where("action = 'user.update'").Scan(w.t.Context(), &n)
					if n != 0 {
						t.Errorf("%d user.update entries after refused changes", n)
					}
				}
			})
		}
		t.Run("what the user may change itself", func(t *testing.T) {
			w.mustCall("vy", "PATCH", self("vy"), map[string]any{"full_name": "Cán bộ Việt Yên", "lang": "en", "roles": []string{"district"}, "status": "active"}, http.StatusOK, nil)
		})
		t.Run("another manager may", func(t *testing.T) {
			var u struct{ Roles []string }
			w.mustCall("province", "PATCH", self("vy"), map[string]any{"roles": []string{"district", "police"}}, http.StatusOK, &u)
			if fmt.Sprint(u.Roles) != "[district police]" {
				t.Errorf("roles = %v", u.Roles)
			}
		})
	})
}

// TestNoSelfRoleOrStatusChangeWeb: the web user form refuses the same
// self-changes with the form again, naming the field.
func TestNoSelfRoleOrStatusChangeWeb(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustUIFixture(t, db)
		b := f.browser(t)
		b.login("huyen")
		edit := fmt.Sprintf("/admin/users/%d", f.users["huyen"].ID)
		for _, form := range []url.Values{
			{"full_name": {"Cán bộ huyen"}, "lang": {"vi"}, "status": {"active"}, "roles": {"district", "police"}},
			{"full_name": {"Cán bộ huyen"}, "lang": {"vi"}, "status": {"disabled"}, "roles": {"district"}},
		} {
			p := b.submit(edit, edit, form)
			if p.Status != http.StatusBadRequest {
				t.Errorf("self-change %v = %d, want the form again (400)", form, p.Status)
			}
			mustContain(t, p, "Không được tự thay đổi")
		}
		u, err := f.ids.UserByID(f.root, f.users["huyen"].ID)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(u.Roles) != "[district]" || u.Status != "active" {
			t.Errorf("after refused self-changes: roles %v, status %s", u.Roles, u.Status)
		}
		p := b.submit(edit, edit, url.Values{"full_name": {"Cán bộ Việt Yên"}, "lang": {"vi"}, "status": {"active"}, "roles": {"district"}})
		if p.Status != http.StatusSeeOther {
			t.Errorf("renaming itself = %d", p.Status)
		}
	})
}

// TestReportSeparationOfDuties: a user who entered or submitted a report's
// values does not accept or return it, even when it holds the reviewing
// role too (a district user who is also the district's police); another
// reviewer of the same unit does (issue 17, item 5).
func TestReportSeparationOfDuties(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustReportFixture(t, db)
		f.tok["enterer"] = f.user(t, "u.enterer", f.dist, "district", "police")
		f.tok["submitter"] = f.user(t, "u.submitter", f.dist, "district", "police")
		crime := `{"tips_received":12,"tips_processed":12,"organised_crime":false,"cases_initiated":5,"cases_solved":4}`
		// One target area per case, so each starts from an untouched report.
		w1 := f.unit(t, tenants.NewUnit{Code: "07799", Name: "Xã Hồng Thái", Kind: "ward", ParentID: &f.dist.ID})
		w2 := f.unit(t, tenants.NewUnit{Code: "07800", Name: "Xã Tăng Tiến", Kind: "ward", ParentID: &f.dist.ID})
		areas := append(f.targetAreas(t, f.campaignID, f.quang.ID, w1.ID, w2.ID), f.nenhTA)
		for i, tc := range []struct {
			name, who, action, body string
		}{
			{"entered then accept", "enterer", "accept", `{}`},
			{"entered then return", "enterer", "return", `{"reason":"Thiếu số liệu"}`},
			{"submitted then accept", "submitter", "accept", `{}`},
			{"submitted then return", "submitter", "return", `{"reason":"Thiếu số liệu"}`},
		} {
			ta := areas[i]
			t.Run(tc.name, func(t *testing.T) {
				var r apiReport
				entering := "dpolice"
				if tc.who == "enterer" {
					entering = tc.who
				}
				f.must(t, f.tok[entering], "PATCH", reportPath(ta, "Q1"), saveBody(0, crime), http.StatusOK, &r)
				submitting := "dpolice"
				if tc.who == "submitter" {
					submitting = tc.who
				}
				f.must(t, f.tok[submitting], "POST", fmt.Sprintf("/api/v1/reports/%d/submit", r.ID), "", http.StatusOK, &r)
				path := fmt.Sprintf("/api/v1/reports/%d/%s", r.ID, tc.action)
				e := mustAPIError(t, f.do(t, f.tok[tc.who], "POST", path, tc.body), http.StatusForbidden, domain.EFORBIDDEN)
				if e.Error.Message == "" {
					t.Error("no message")
				}
				var got apiReport
				f.must(t, f.tok["district"], "GET", fmt.Sprintf("/api/v1/reports/%d", r.ID), "", http.StatusOK, &got)
				if got.Status != domain.ReportSubmitted {
					t.Errorf("status after the refused %s = %s", tc.action, got.Status)
				}
				f.must(t, f.tok["district"], "POST", path, tc.body, http.StatusOK, nil)
			})
		}
	})
}

// TestPlanSeparationOfDuties: whoever submitted a plan does not approve or
// return it (issue 17, item 5). The author and the reviewer are different
// units, so this holds by construction; the store checks it as well.
func TestPlanSeparationOfDuties(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		area := w.mustApprovedArea(c.ID, w.nenh.ID)
		var district, ward campaigns.Plan
		w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(area.ID), http.StatusCreated, &district)
		w.mustCall("nenh", "POST", fmt.Sprintf("/api/v1/plans/%d/copy", district.ID), nil, http.StatusCreated, &ward)
		for _, p := range []struct {
			who  string
			plan int64
		}{{"nenh", ward.ID}, {"vy", district.ID}} {
			w.mustCall(p.who, "POST", fmt.Sprintf("/api/v1/plans/%d/submit", p.plan), nil, http.StatusOK, nil)
			for _, action := range []string{"approve", "return"} {
				t.Run(p.who+" "+action, func(t *testing.T) {
					w.refused(p.who, "POST", fmt.Sprintf("/api/v1/plans/%d/%s", p.plan, action), map[string]any{"comment": "Tự duyệt"}, http.StatusForbidden, "forbidden")
				})
			}
		}
		var got campaigns.Plan
		w.mustCall("vy", "POST", fmt.Sprintf("/api/v1/plans/%d/approve", ward.ID), map[string]any{}, http.StatusOK, &got)
		if got.Status != "approved" {
			t.Errorf("ward plan approved by the district: %s", got.Status)
		}
	})
}
