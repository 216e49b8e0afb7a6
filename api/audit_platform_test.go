package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
)

type auditPage struct {
	Items []struct {
		Action     string          `json:"action"`
		ActorID    *int64          `json:"actor_id"`
		ObjectType string          `json:"object_type"`
		ObjectID   string          `json:"object_id"`
		Before     json.RawMessage `json:"before"`
		After      json.RawMessage `json:"after"`
	} `json:"items"`
	Total int `json:"total"`
}

func actions(p auditPage) []string {
	var out []string
	for _, e := range p.Items {
		out = append(out, e.Action)
	}
	return out
}

// TestPlatformAudit: the platform admin reads the platform-level audit
// entries — sign-ins (failed ones of every tenant too), tenants it
// onboarded, users it created or whose password it reset — and no entry
// about a tenant's content; the province of a tenant sees the admin's
// password reset of one of its users (issue 17, item 14).
func TestPlatformAudit(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		w := mustWorld(t, db, vn(2024, 2, 8, 9))
		c := w.mustCampaign(2024)
		area := w.mustApprovedArea(c.ID, w.nenh.ID)
		var plan campaigns.Plan
		w.mustCall("vy", "POST", "/api/v1/plans", districtPlanBody(area.ID), http.StatusCreated, &plan)
		w.refused("", "POST", "/api/v1/auth/login", map[string]string{"username": "cb.nenh", "password": "sai-mat-khau"}, http.StatusUnauthorized, "unauthenticated")
		w.mustCall("admin", "POST", "/api/v1/tenants", map[string]any{"code": "02", "name": "Tỉnh Hà Giang",
			"admin": map[string]any{"username": "hagiang.admin", "full_name": "Quản trị Hà Giang", "password": "mật-khẩu-dài-hà-giang"}}, http.StatusCreated, nil)
		w.mustCall("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", w.users["nenh"].ID), map[string]any{"password": "mật-khẩu-mới-của-nếnh"}, http.StatusOK, nil)

		var all auditPage
		w.mustCall("admin", "GET", "/api/v1/audit?limit=1000", nil, http.StatusOK, &all)
		got := actions(all)
		for _, want := range []string{"auth.login", "auth.login_failed", "tenant.create", "user.create", "user.password_reset"} {
			if !slices.Contains(got, want) {
				t.Errorf("the admin does not see %s; it sees %v", want, got)
			}
		}
		for _, e := range all.Items {
			switch {
			case e.ObjectType != "user" && e.ObjectType != "unit" && e.ObjectType != "permission":
				t.Errorf("the admin sees %s of a %s (%s)", e.Action, e.ObjectType, e.ObjectID)
			case strings.Contains(string(e.Before), "values"), strings.Contains(string(e.After), "values"):
				t.Errorf("the admin sees report content in %s", e.Action)
			case e.Action == "user.create" && e.ObjectID != fmt.Sprint(w.users["admin"].ID) && (e.ActorID == nil || *e.ActorID != w.users["admin"].ID):
				// Only the platform's own users and those the admin created.
				t.Errorf("the admin sees a user created by %v", e.ActorID)
			}
		}
		var plans auditPage
		w.mustCall("admin", "GET", "/api/v1/audit?limit=1000&object_type=plan", nil, http.StatusOK, &plans)
		if len(plans.Items) != 0 {
			t.Errorf("the admin reads %d plan entries", len(plans.Items))
		}
		w.mustCall("province", "GET", "/api/v1/audit?limit=1000&object_type=plan", nil, http.StatusOK, &plans)
		if len(plans.Items) == 0 {
			t.Error("the province reads no plan entry: the filter proves nothing")
		}

		var resets auditPage
		w.mustCall("province", "GET", "/api/v1/audit?action=user.password_reset", nil, http.StatusOK, &resets)
		if len(resets.Items) != 1 || resets.Items[0].ActorID == nil || *resets.Items[0].ActorID != w.users["admin"].ID || resets.Items[0].ObjectID != fmt.Sprint(w.users["nenh"].ID) {
			t.Errorf("the province sees resets %+v, want the admin's reset of Nếnh's user", resets.Items)
		}
		w.mustCall("hanoi", "GET", "/api/v1/audit?action=user.password_reset", nil, http.StatusOK, &resets)
		if len(resets.Items) != 0 {
			t.Errorf("another province sees %d resets", len(resets.Items))
		}
		// A user changing its own password is no reset.
		w.mustCall("vy", "PATCH", fmt.Sprintf("/api/v1/users/%d", w.users["vy"].ID), map[string]any{"password": "mật-khẩu-mới-của-việt-yên"}, http.StatusOK, nil)
		w.mustCall("province", "GET", "/api/v1/audit?action=user.password_reset", nil, http.StatusOK, &resets)
		if len(resets.Items) != 1 {
			t.Errorf("%d resets after a self-service change, want 1", len(resets.Items))
		}
	})
}

// TestPlatformAuditPage: the admin opens the web audit page and reads the
// platform's sign-ins there.
func TestPlatformAuditPage(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := mustUIFixture(t, db)
		b := f.browser(t)
		b.login("admin")
		p := b.get("/audit")
		if p.Status != http.StatusOK {
			t.Fatalf("/audit = %d", p.Status)
		}
		mustContain(t, p, "Đăng nhập")
	})
}
