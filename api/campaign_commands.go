package api

import (
	"context"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

// The campaign and target-area commands: one transaction each, with its
// audit entry. The JSON API and the web pages both call these, so a rule
// or a scope check lives in one place.

// createCampaignCmd creates the caller's province campaign from in, with
// the seed's defaults for what in leaves out.
func (s *Server) createCampaignCmd(ctx context.Context, in NewCampaign) (*campaigns.Campaign, error) {
	u, _, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	if u.Unit == nil || u.Unit.Kind != tenants.KindProvince {
		return nil, domain.Errorf(domain.EFORBIDDEN, "Chỉ người dùng cấp tỉnh mới được tạo chương trình của tỉnh")
	}
	camp := domain.NewCampaign(u.Unit.ID, in.Year)
	if in.Year < domain.MinCampaignYear || in.Year > domain.MaxCampaignYear {
		// The default calendar and deadlines are built from the year; with
		// no valid year there are none, and the error names the year.
		camp.Calendar, camp.WardPlanDue = nil, domain.Date{}
	}
	if in.Title != "" {
		camp.Title = in.Title
	}
	camp.Decision = in.Decision
	if in.References != nil {
		camp.References = in.References
	}
	if in.Calendar != nil {
		camp.Calendar = in.Calendar
	}
	if in.Thresholds != nil {
		camp.Thresholds = *in.Thresholds
	}
	camp.Indicators = in.Indicators
	if in.WardPlanDue != nil {
		camp.WardPlanDue = *in.WardPlanDue
	}
	if in.MonthlyReportDueDay != nil {
		camp.MonthlyReportDueDay = *in.MonthlyReportDueDay
	}
	if in.ExitPeriod != nil {
		camp.ExitPeriod = *in.ExitPeriod
	}
	if in.RelapseIndicators != nil {
		camp.RelapseIndicators = *in.RelapseIndicators
	}
	var out *campaigns.Campaign
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out, err = campaigns.CreateCampaign(ctx, tx, &camp, u.ID, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		if err := record(ctx, tx, "campaign.create", "campaign", out.ID, out.ProvinceUnitID, nil, out); err != nil {
			return err
		}
		// Areas exited last year keep reporting the relapse indicators this year.
		_, err = s.watchRelapseTx(ctx, tx, out.ID)
		return err
	})
	return out, err
}

// proposeTargetAreasCmd stores the proposal of one or several wards by the
// unit directly above them (a district, or the province for wards directly
// under it).
func (s *Server) proposeTargetAreasCmd(ctx context.Context, in campaigns.Proposal) ([]*campaigns.TargetArea, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*campaigns.TargetArea
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out, err = campaigns.ProposeTargetAreas(ctx, tx, in, actor, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		for _, ta := range out {
			if err := record(ctx, tx, "target_area.propose", "target_area", ta.ID, ta.UnitID, nil, ta); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// targetActionCmd performs one workflow action on one target area.
func (s *Server) targetActionCmd(ctx context.Context, id int64, action string, in campaigns.TargetAction) (*campaigns.TargetArea, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.TargetArea
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.ActOnTargetArea(ctx, tx, id, action, in, actor, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		out = after
		if err := record(ctx, tx, "target_area."+action, "target_area", id, after.UnitID, before, after); err != nil {
			return err
		}
		if action == domain.TargetActApprove {
			return s.emitCampaignEvent(ctx, tx, domain.EventTargetAreaApproved, after.CampaignID, "target_area", id)
		}
		return nil
	})
	return out, err
}

// bulkTargetActionCmd performs one action on several target areas with one
// decision, all or nothing.
func (s *Server) bulkTargetActionCmd(ctx context.Context, ids []int64, action string, in domain.TargetActionInput) ([]*campaigns.TargetArea, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out []*campaigns.TargetArea
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.ActOnTargetAreas(ctx, tx, ids, action, campaigns.TargetAction{TargetActionInput: in}, actor, s.opts.Now().UTC())
		if err != nil {
			return err
		}
		for i, a := range after {
			if err := record(ctx, tx, "target_area."+action, "target_area", a.ID, a.UnitID, before[i], a); err != nil {
				return err
			}
			if action == domain.TargetActApprove {
				if err := s.emitCampaignEvent(ctx, tx, domain.EventTargetAreaApproved, a.CampaignID, "target_area", a.ID); err != nil {
					return err
				}
			}
		}
		out = after
		return nil
	})
	return out, err
}
