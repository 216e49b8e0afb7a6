package campaigns_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestFailsClosed checks that every read refuses a context without a
// scope instead of answering with all rows.
func TestFailsClosed(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		root := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
		p, err := tenants.CreateUnit(root, db, tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		c := domain.NewCampaign(p.ID, 2024)
		c.Decision = domain.Document{Number: "301/QĐ-BCĐ", Date: domain.Date{Year: 2024, Month: 2, Day: 7}, Signer: "Trưởng ban"}
		camp, err := campaigns.CreateCampaign(root, db, &c, 0, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		now := time.Now()
		for name, f := range map[string]func() error{
			"FindCampaignByID": func() error { _, err := campaigns.FindCampaignByID(ctx, db, camp.ID); return err },
			"FindCampaigns":    func() error { _, _, err := campaigns.FindCampaigns(ctx, db, campaigns.CampaignFilter{}); return err },
			"FindTargetAreas": func() error {
				_, _, err := campaigns.FindTargetAreas(ctx, db, campaigns.TargetAreaFilter{})
				return err
			},
			"FindTargetArea":  func() error { _, err := campaigns.FindTargetAreaByID(ctx, db, 1); return err },
			"FindPlans":       func() error { _, _, err := campaigns.FindPlans(ctx, db, campaigns.PlanFilter{}, now); return err },
			"FindPlanByID":    func() error { _, err := campaigns.FindPlanByID(ctx, db, 1, now); return err },
			"FindCommittee":   func() error { _, err := campaigns.FindCommittee(ctx, db, p.ID); return err },
			"FindModels":      func() error { _, err := campaigns.FindModels(ctx, db, p.ID); return err },
			"FindAttachment":  func() error { _, err := campaigns.FindAttachmentByID(ctx, db, 1); return err },
			"FindAttachments": func() error { _, err := campaigns.FindAttachments(ctx, db, campaigns.OwnerTask, 1); return err },
			"WatchRelapse": func() error {
				_, err := campaigns.WatchRelapse(ctx, db, camp.ID, campaigns.Actor{Roles: []string{domain.RoleProvince}}, now)
				return err
			},
			"CarryOver": func() error {
				_, _, _, err := campaigns.CarryOver(ctx, db, 1, campaigns.CarryOverInput{}, campaigns.Actor{Roles: []string{domain.RoleProvince}}, now)
				return err
			},
		} {
			if got := domain.ErrorCode(f()); got != domain.EFORBIDDEN {
				t.Errorf("%s without a scope: code %q, want %q", name, got, domain.EFORBIDDEN)
			}
		}
		// A scope without a tenant sees no campaign either.
		noTenant := tenants.NewContextWithScope(ctx, tenants.Scope{UnitID: p.ID, Path: p.Path})
		if _, err := campaigns.FindCampaignByID(noTenant, db, camp.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("scope without tenant: %v", err)
		}
		own := tenants.NewContextWithScope(ctx, tenants.Scope{UnitID: p.ID, Path: p.Path, TenantID: p.ID})
		if _, err := campaigns.FindCampaignByID(own, db, camp.ID); err != nil {
			t.Errorf("the province cannot read its campaign: %v", err)
		}
	})
}
