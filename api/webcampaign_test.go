package api_test

import (
	"context"
	"testing"
	"time"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

// ctxOf returns a context acting as the fixture user name, with its scope.
func (f *uiFixture) ctxOf(t testing.TB, name string) context.Context {
	t.Helper()
	u, err := f.ids.UserByID(f.root, f.users[name].ID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := identity.NewContextWithUser(context.Background(), u)
	ctx = tenants.NewContextWithScope(ctx, u.Scope())
	return audit.NewContextWithActor(ctx, audit.Actor{UserID: u.ID, Username: u.Username, UnitID: u.HomeUnitID()})
}

func (f *uiFixture) actor(t testing.TB, name string) campaigns.Actor {
	u := f.users[name]
	return campaigns.Actor{UserID: u.ID, UnitID: u.HomeUnitID(), Roles: u.Roles}
}

// webCampaign is the 2024 campaign of the fixture with its target areas.
type webCampaign struct {
	campaign *campaigns.Campaign
	areas    map[string]*campaigns.TargetArea
}

// mustCampaign creates the province's 2024 campaign (Quyết định 301) and
// makes the given wards approved, in-progress target areas, through the
// campaign store as the province and the district would.
func (f *uiFixture) mustCampaign(t testing.TB, wards ...string) *webCampaign {
	t.Helper()
	now := f.now
	camp := domain.NewCampaign(f.units["province"].ID, 2024)
	camp.Decision = domain.Document{Number: "301/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: time.February, Day: 7}, Issuer: "Ban Chỉ đạo tỉnh"}
	pctx := f.ctxOf(t, "tinh")
	c, err := campaigns.CreateCampaign(pctx, f.db, &camp, f.users["tinh"].ID, now)
	if err != nil {
		t.Fatal(err)
	}
	out := &webCampaign{campaign: c, areas: map[string]*campaigns.TargetArea{}}
	if len(wards) == 0 {
		return out
	}
	var ids []int64
	for _, w := range wards {
		ids = append(ids, f.units[w].ID)
	}
	tas, err := campaigns.ProposeTargetAreas(f.ctxOf(t, "huyen"), f.db, campaigns.Proposal{CampaignID: c.ID, UnitIDs: ids, Reason: "Tình hình an ninh trật tự phức tạp"}, f.actor(t, "huyen"), now)
	if err != nil {
		t.Fatal(err)
	}
	var taIDs []int64
	for _, ta := range tas {
		taIDs = append(taIDs, ta.ID)
	}
	in := campaigns.TargetAction{TargetActionInput: domain.TargetActionInput{Decision: &domain.Document{Number: "302/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: time.February, Day: 8}}}}
	if _, _, err := campaigns.ActOnTargetAreas(pctx, f.db, taIDs, domain.TargetActApprove, in, f.actor(t, "tinh"), now); err != nil {
		t.Fatal(err)
	}
	if _, _, err := campaigns.ActOnTargetAreas(f.ctxOf(t, "huyen"), f.db, taIDs, domain.TargetActStart, campaigns.TargetAction{}, f.actor(t, "huyen"), now); err != nil {
		t.Fatal(err)
	}
	for i, w := range wards {
		ta, err := campaigns.FindTargetAreaByID(pctx, f.db, taIDs[i])
		if err != nil {
			t.Fatal(err)
		}
		out.areas[w] = ta
	}
	return out
}
