package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestWebTwoTierWard checks the pages follow the rule the API enforces: the
// unit directly above a ward does the district's duties for it. The
// province is offered the wards directly under it to propose (not its
// district's), reviews the two-tier ward's report from its queue and may
// propose its exit; for a ward of its district it is offered none of that.
func TestWebTwoTierWard(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bunDB) {
		f := mustUIFixture(t, db)
		f.now = time.Date(2024, time.March, 4, 2, 0, 0, 0, time.UTC)
		w0, err := (&tenants.Units{DB: db}).CreateUnit(f.root, tenants.NewUnit{Code: "07999", Name: "Xã Hai Cấp", Kind: "ward", ParentID: &f.units["province"].ID, UnitType: "Xã"})
		if err != nil {
			t.Fatal(err)
		}
		f.units["haicap"] = w0
		nu, err := f.ids.CreateUser(f.root, identity.NewUser{Username: "haicap", FullName: "Cán bộ xã Hai Cấp", Roles: []string{identity.RoleWard}, Password: webPassword("haicap"), UnitID: &w0.ID})
		if err != nil {
			t.Fatal(err)
		}
		f.users["haicap"] = nu
		camp := f.mustCampaign(t, "nenh")
		nenh := camp.areas["nenh"]

		prov := f.browser(t)
		prov.login("tinh")
		var area *campaigns.TargetArea
		t.Run("the province proposes the ward directly under it", func(t *testing.T) {
			list := "/target-areas?campaign=" + itoa(camp.campaign.ID)
			p := prov.get(list)
			mustContain(t, p, `action="/target-areas/propose"`, `name="unit_ids" value="`+itoa(w0.ID)+`"`)
			if strings.Contains(p.Body, `value="`+itoa(f.units["quangchau"].ID)+`"`) {
				t.Error("the province is offered a ward of its district")
			}
			r := prov.submit(list, "/target-areas/propose", url.Values{"campaign_id": {itoa(camp.campaign.ID)}, "unit_ids": {itoa(w0.ID)}, "reason": {"Phức tạp về ma túy"}})
			if r.Status != http.StatusSeeOther {
				t.Fatalf("propose = %d\n%s", r.Status, r.Body)
			}
			tas, _, err := campaigns.FindTargetAreas(f.ctxOf(t, "tinh"), f.db, campaigns.TargetAreaFilter{UnitID: &w0.ID})
			if err != nil || len(tas) != 1 || tas[0].ProposedByUnitID != f.units["province"].ID {
				t.Fatalf("proposed = %+v, %v", tas, err)
			}
			dec := campaigns.TargetAction{TargetActionInput: domain.TargetActionInput{Decision: &domain.Document{Number: "303/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: time.February, Day: 9}}}}
			for _, act := range []struct {
				action string
				in     campaigns.TargetAction
			}{{domain.TargetActApprove, dec}, {domain.TargetActStart, campaigns.TargetAction{}}} {
				if _, area, err = campaigns.ActOnTargetArea(f.ctxOf(t, "tinh"), f.db, tas[0].ID, act.action, act.in, f.actor(t, "tinh"), f.now); err != nil {
					t.Fatalf("%s: %v", act.action, err)
				}
			}
		})
		if area == nil {
			t.FailNow()
		}

		submit := func(user string, ta int64) string {
			t.Helper()
			b := f.browser(t)
			b.login(user)
			path := "/target-areas/" + itoa(ta) + "/reports/Q1"
			form := wardValues()
			form.Set("version", "0")
			form.Set("action", "submit")
			if p := b.submit(path, path, form); p.Status != http.StatusSeeOther {
				t.Fatalf("%s submits = %d\n%s", user, p.Status, p.Body)
			}
			return path
		}
		own, districts := submit("haicap", area.ID), submit("nenh", nenh.ID)

		t.Run("the province reviews the two-tier ward's report, not its district's", func(t *testing.T) {
			q := prov.get("/review")
			mustContain(t, q, "Xã Hai Cấp")
			if strings.Contains(q.Body, "Phường Nếnh") {
				t.Error("the province's queue lists a report its district reviews")
			}
			p := prov.get(districts)
			if p.Status != http.StatusOK || strings.Contains(p.Body, `id="h-review"`) || strings.Contains(p.Body, "/accept\"") || strings.Contains(p.Body, "/assess\"") {
				t.Errorf("the province is offered to review or assess a district's ward (status %d)", p.Status)
			}
			p = prov.get(own)
			mustContain(t, p, `id="h-review"`, `/assess"`)
			id := regexpFind(`action="/reports/(\d+)/accept"`, p.Body)
			version := regexpFind(`action="/reports/\d+/accept"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"><input type="hidden" name="version" value="(\d+)"`, p.Body)
			if r := prov.submit(own, "/reports/"+id+"/accept", url.Values{"version": {version}}); r.Status != http.StatusSeeOther {
				t.Fatalf("accept = %d\n%s", r.Status, r.Body)
			}
			mustContain(t, prov.get(own), "Đã chấp nhận")
		})

		t.Run("the province may propose the two-tier ward's exit only", func(t *testing.T) {
			mustContain(t, prov.get("/target-areas/"+itoa(area.ID)), `action="/target-areas/`+itoa(area.ID)+`/exit-proposal"`)
			if p := prov.get("/target-areas/" + itoa(nenh.ID)); strings.Contains(p.Body, "/exit-proposal\"") {
				t.Error("the province is offered to propose the exit of its district's ward")
			}
		})
	})
}
