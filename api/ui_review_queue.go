package api

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

type reviewQueueView struct {
	web.Page
	Items []queueItem
	// Plans are the submitted plans the caller's unit reviews.
	Plans []reviewItem
}

type queueItem struct {
	reviewItem
	Revision int
}

// reviewQueue lists the submitted reports the caller reviews (of the wards
// directly under its unit), the longest waiting first.
func (s *Server) reviewQueue(c echo.Context) error {
	items, err := s.queueItems(c.Request().Context(), c, []string{domain.ReportSubmitted}, 200)
	if err != nil {
		return err
	}
	plans, err := s.planQueue(c, 200)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "review_queue", reviewQueueView{Page: s.page(c), Items: items, Plans: plans})
}

// planQueue lists the submitted plans whose reviewer is the caller's unit
// (the unit above the author), the longest waiting first.
func (s *Server) planQueue(c echo.Context, limit int) ([]reviewItem, error) {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	if !s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "plan:review") {
		return nil, nil
	}
	st := domain.PlanSubmitted
	list, _, err := campaigns.FindPlans(ctx, s.opts.DB, campaigns.PlanFilter{Status: &st, Limit: 1000}, s.now())
	if err != nil {
		return nil, err
	}
	var out []reviewItem
	for _, p := range list {
		if p.ReviewerUnitID != u.HomeUnitID() {
			continue
		}
		since := p.UpdatedAt
		if p.SubmittedAt != nil {
			since = *p.SubmittedAt
		}
		b := s.planBadge(c, p.Status)
		out = append(out, reviewItem{Label: p.Title, Unit: p.UnitName, Href: "/plans/" + itoa(p.ID), Since: since, Status: b.Label, Kind: b.Kind})
	}
	slices.SortStableFunc(out, func(a, b reviewItem) int { return a.Since.Compare(b.Since) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// queueItems reads the reports with statuses the caller reviews through the
// report service and names their unit and period.
func (s *Server) queueItems(ctx context.Context, c echo.Context, statuses []string, limit int) ([]queueItem, error) {
	list, err := s.reportStore().FindReportsToReview(ctx, statuses, limit)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.UnitID)
	}
	names := s.unitNames(ctx, ids)
	periods := map[int64]map[string]string{}
	out := make([]queueItem, 0, len(list))
	for _, r := range list {
		if _, ok := periods[r.CampaignID]; !ok {
			periods[r.CampaignID] = s.periodNames(ctx, r.CampaignID)
		}
		label := periods[r.CampaignID][r.Period]
		if label == "" {
			label = r.Period
		}
		since := r.UpdatedAt
		if r.LastSubmittedAt != nil {
			since = *r.LastSubmittedAt
		}
		b := s.reportBadge(c, r.Status)
		out = append(out, queueItem{Revision: r.SubmittedRevision, reviewItem: reviewItem{
			Label: label, Unit: names[r.UnitID], Href: reportPath(r), Since: since, Status: b.Label, Kind: b.Kind}})
	}
	return out, nil
}

// periodNames maps the period codes of a campaign's calendar to their names.
func (s *Server) periodNames(ctx context.Context, campaignID int64) map[string]string {
	out := map[string]string{}
	cal, err := s.reportStore().FindCalendar(ctx, campaignID)
	if err != nil {
		return out
	}
	for _, p := range append(cal.Periods, cal.Monthly...) {
		out[p.Code] = p.Name
	}
	return out
}

// homeReview lists what awaits the user's decision: submitted reports for
// a reviewer, proposed target areas and exits for the province.
func (s *Server) homeReview(ctx context.Context, c echo.Context, can func(string) bool) ([]reviewItem, error) {
	var out []reviewItem
	if can("report:review") {
		items, err := s.queueItems(ctx, c, []string{domain.ReportSubmitted}, 20)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out = append(out, it.reviewItem)
		}
	}
	plans, err := s.planQueue(c, 20)
	if err != nil {
		return nil, err
	}
	out = append(out, plans...)
	if can("target:approve") || can("target:exit_decide") {
		for _, st := range []string{domain.TargetProposed, domain.TargetExitProposed} {
			st := st
			list, _, err := campaigns.FindTargetAreas(ctx, s.opts.DB, campaigns.TargetAreaFilter{Status: &st, Limit: 20})
			if err != nil {
				return nil, err
			}
			for _, ta := range list {
				b := s.targetBadge(c, ta.Status)
				out = append(out, reviewItem{Label: s.t(c, "nav.targets"), Unit: ta.UnitName, Href: "/target-areas/" + itoa(ta.ID), Since: ta.UpdatedAt, Status: b.Label, Kind: b.Kind})
			}
		}
	}
	return out, nil
}

// homeDeadlines lists the reports the user's unit still owes, overdue
// first: every period of the current campaign not yet sent (or returned).
func (s *Server) homeDeadlines(ctx context.Context, c echo.Context) ([]deadline, error) {
	cc, err := s.campaignFor(c)
	if err != nil || cc.Campaign == nil {
		return nil, err
	}
	tas, _, err := campaigns.FindTargetAreas(ctx, s.opts.DB, campaigns.TargetAreaFilter{CampaignID: &cc.Campaign.ID, Limit: 50})
	if err != nil {
		return nil, err
	}
	store := s.reportStore()
	today := s.today()
	var out []deadline
	// A ward owes its plan by the campaign's ward plan due date.
	u := identity.UserFromContext(ctx)
	writesPlan := u.Unit != nil && u.Unit.Kind == tenants.KindWard && s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "plan:write")
	for _, ta := range tas {
		if !writesPlan || ta.UnitID != u.Unit.ID || (ta.Status != domain.TargetApproved && ta.Status != domain.TargetInProgress) {
			continue
		}
		plans, _, err := campaigns.FindPlans(ctx, s.opts.DB, campaigns.PlanFilter{TargetAreaID: &ta.ID, UnitID: &u.Unit.ID, Limit: 1}, s.now())
		if err != nil {
			return nil, err
		}
		label, href := s.t(c, "plan.deadline"), "/target-areas/"+itoa(ta.ID)+"#h-plans"
		if len(plans) > 0 {
			if !domain.PlanEditable(plans[0].Status) {
				continue
			}
			href = "/plans/" + itoa(plans[0].ID)
			if plans[0].Status == domain.PlanReturned {
				label += " — " + s.t(c, "plan.status.returned")
			}
		}
		if !cc.Campaign.WardPlanDue.IsZero() {
			out = append(out, newDeadline(today, label, ta.UnitName, href, cc.Campaign.WardPlanDue))
		}
	}
	for _, ta := range tas {
		if ta.Status == domain.TargetProposed || ta.Status == domain.TargetRejected || domain.TargetTerminal(ta.Status) {
			continue
		}
		cal, err := store.FindCalendar(ctx, ta.CampaignID)
		if err != nil {
			return nil, err
		}
		list, err := store.FindReports(ctx, ta.ID)
		if err != nil {
			return nil, err
		}
		status := map[string]string{}
		for _, r := range list {
			status[r.Period] = r.Status
		}
		for _, p := range cal.Periods {
			st := status[p.Code]
			if st == domain.ReportSubmitted || st == domain.ReportAccepted {
				continue
			}
			if today.Before(p.Start) {
				continue
			}
			label := p.Name
			if st == domain.ReportReturned {
				label += " — " + s.t(c, "report.status.returned")
			}
			out = append(out, newDeadline(today, label, ta.UnitName, "/target-areas/"+itoa(ta.ID)+"/reports/"+p.Code, p.Due))
		}
	}
	return out, nil
}
