package api

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/reports"
)

type targetAreaView struct {
	web.Page
	TA             *campaigns.TargetArea
	Badge          badge
	CampaignTitle  string
	Decision       string
	Periods        []periodRow
	Chart          template.HTML
	History        []historyRow
	CanStart       bool
	CanProposeExit bool
	ExitPeriod     string
	ExitField      web.Field
	ExitError      string
	CanDecide      bool
	DecideFields   []web.Field
	DecideError    string
	CanReject      bool
	RejectField    web.Field
	// Plans are the plans written for the area (the district's, the ward's).
	Plans []planRow
	// CanStartPlan: the caller's unit may start its own plan for the area,
	// from scratch (PlanField) or from one of Plans (CopyFrom).
	CanStartPlan bool
	PlanField    web.Field
	PlanError    string
	CopyFrom     []planRow
	BaselineHref string
}

// planRow is one plan in a list.
type planRow struct {
	ID     int64
	Href   string
	Unit   string
	Title  string
	Status badge
	Due    domain.Date
	Timely badge
}

type periodRow struct {
	Name       string
	Href       string
	Due        domain.Date
	Status     badge
	Timeliness badge
	HasEval    bool
	Met        int
}

type historyRow struct {
	At      time.Time
	Action  string
	Badge   badge
	Comment string
}

// targetForms carries what a refused form on the target-area page sent.
type targetForms struct {
	exitEvidence, exitErr, exitSum string
	outcome, number, date, reason  string
	decideErrs                     map[string]string
	decideSum                      string
	rejectReason, rejectErr        string
	planTitle, planTitleErr        string
	planSum                        string
}

// targetAreaShow shows a target area: its reports by period with their
// status and criteria met, the trend, its history and the actions the
// caller's role may take on it.
func (s *Server) targetAreaShow(c echo.Context) error {
	return s.renderTargetArea(c, http.StatusOK, targetForms{})
}

func (s *Server) renderTargetArea(c echo.Context, status int, in targetForms) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	can := func(p string) bool { return s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), p) }
	ta, err := campaigns.FindTargetAreaByID(ctx, s.opts.DB, id)
	if err != nil {
		return err
	}
	v := targetAreaView{Page: s.page(c), TA: ta, Badge: s.targetBadge(c, ta.Status)}
	if ta.Decision != nil {
		v.Decision = ta.Decision.String()
	}
	camp, err := campaigns.FindCampaignByID(ctx, s.opts.DB, ta.CampaignID)
	if err != nil {
		return err
	}
	v.CampaignTitle = camp.Title
	store := s.reportStore()
	if ta.Status != domain.TargetProposed && ta.Status != domain.TargetRejected {
		cal, err := store.FindCalendar(ctx, ta.CampaignID)
		if err != nil {
			return err
		}
		list, err := store.FindReports(ctx, ta.ID)
		if err != nil {
			return err
		}
		evals, err := store.FindEvaluations(ctx, ta.ID)
		if err != nil {
			return err
		}
		byPeriod := map[string]*reports.Report{}
		for _, r := range list {
			byPeriod[r.Period] = r
		}
		evalBy := map[string]*reports.Evaluation{}
		for _, e := range evals {
			evalBy[e.Period] = e
		}
		var points []web.Point
		today := s.today()
		for _, p := range cal.Periods {
			row := periodRow{Name: p.Name, Due: p.Due, Href: "/target-areas/" + itoa(ta.ID) + "/reports/" + p.Code, Status: s.reportBadge(c, "")}
			if r, ok := byPeriod[p.Code]; ok {
				row.Status, row.Timeliness = s.reportBadge(c, r.Status), s.timelinessBadge(c, r.Timeliness)
			} else {
				row.Timeliness = s.timelinessBadge(c, domain.Timeliness(p, time.Time{}, s.opts.Now()))
			}
			pt := web.Point{Label: p.Code, Missing: true}
			if e, ok := evalBy[p.Code]; ok && e.ReportID != nil {
				row.HasEval, row.Met = true, e.MetCount
				pt = web.Point{Label: p.Code, Num: int64(e.MetCount), Den: 7, Text: itoa(int64(e.MetCount))}
			}
			v.Periods = append(v.Periods, row)
			if !today.Before(p.Start) {
				points = append(points, pt)
			}
		}
		if len(points) > 0 {
			t := s.t(c, "ta.trend")
			v.Chart = web.LineChart(t, ta.UnitName, "7", points)
		}
		v.ExitPeriod = camp.ExitPeriod
		for _, p := range cal.Periods {
			if p.Code == camp.ExitPeriod {
				v.ExitPeriod = p.Name
			}
		}
	}
	events, err := campaigns.FindTargetEvents(ctx, s.opts.DB, ta.ID)
	if err != nil {
		return err
	}
	for _, e := range events {
		comment := e.Comment
		if e.Decision != nil {
			comment = strings.TrimSpace(e.Decision.String() + " " + comment)
		}
		v.History = append(v.History, historyRow{At: e.At, Action: s.t(c, "target.action."+e.Action), Badge: s.targetBadge(c, e.ToStatus), Comment: comment})
	}
	roles := u.Roles
	avail := domain.TargetAvailableActions(ta.Status, roles...)
	v.CanStart = slices.Contains(avail, domain.TargetActStart) && can("target:start")
	v.CanReject = slices.Contains(avail, domain.TargetActReject) && can("target:approve")
	v.RejectField = web.Field{Name: "comment", ID: "reject-comment", Label: s.t(c, "targets.reject.reason"), Type: "textarea", Value: in.rejectReason, Error: in.rejectErr, Required: true}
	v.CanProposeExit = slices.Contains(avail, domain.TargetActProposeExit) && can("target:exit_propose") && ta.DirectlyUnder(u.HomeUnitID())
	v.ExitError = in.exitSum
	v.ExitField = web.Field{Name: "evidence", Label: s.t(c, "ta.exit.evidence"), Type: "textarea", Value: in.exitEvidence, Error: in.exitErr, Required: true}
	v.CanDecide = ta.Status == domain.TargetExitProposed && can("target:exit_decide")
	v.DecideError = in.decideSum
	if in.outcome == "" {
		in.outcome = domain.ExitOutcomeExited
	}
	v.DecideFields = []web.Field{
		{Name: "outcome", Label: s.t(c, "ta.decide.outcome"), Type: "select", Error: in.decideErrs["outcome"], Options: []web.Option{
			{Value: domain.ExitOutcomeExited, Label: s.t(c, "ta.decide.exited"), Selected: in.outcome == domain.ExitOutcomeExited},
			{Value: domain.ExitOutcomeNotExited, Label: s.t(c, "ta.decide.not_exited"), Selected: in.outcome == domain.ExitOutcomeNotExited},
		}},
		{Name: "decision_number", Label: s.t(c, "targets.decision_number"), Value: in.number, Error: in.decideErrs["decision.number"]},
		{Name: "decision_date", Label: s.t(c, "targets.decision_date"), Value: in.date, Error: in.decideErrs["decision.date"]},
		{Name: "reason", Label: s.t(c, "ta.decide.reason"), Type: "textarea", Value: in.reason, Error: in.decideErrs["reason"]},
	}
	if err := s.targetPlans(c, &v, in); err != nil {
		return err
	}
	if ta.Status != domain.TargetProposed && ta.Status != domain.TargetRejected {
		v.BaselineHref = "/target-areas/" + itoa(ta.ID) + "/baseline"
	}
	return s.render(c, status, "target_area", v)
}

// planRowOf shows a plan in a list.
func (s *Server) planRowOf(c echo.Context, p *campaigns.PlanSummary) planRow {
	r := planRow{ID: p.ID, Href: "/plans/" + itoa(p.ID), Unit: p.UnitName, Title: p.Title, Status: s.planBadge(c, p.Status), Due: p.Due}
	switch {
	case p.Due.IsZero():
	case p.SubmittedAt != nil && p.Late:
		r.Timely = s.timelinessBadge(c, domain.TimelinessLate)
	case p.SubmittedAt != nil:
		r.Timely = s.timelinessBadge(c, domain.TimelinessOnTime)
	case p.Late:
		r.Timely = s.timelinessBadge(c, domain.TimelinessMissing)
	}
	return r
}

// targetPlans lists the plans of the area and, when the caller's unit may
// write its own and has none yet, the ways to start it.
func (s *Server) targetPlans(c echo.Context, v *targetAreaView, in targetForms) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	list, _, err := campaigns.FindPlans(ctx, s.opts.DB, campaigns.PlanFilter{TargetAreaID: &v.TA.ID, Limit: 50}, s.now())
	if err != nil {
		return err
	}
	own := false
	for _, p := range list {
		r := s.planRowOf(c, p)
		v.Plans = append(v.Plans, r)
		switch {
		case p.UnitID == u.HomeUnitID():
			own = true
		case u.Unit != nil && strings.Contains(u.Unit.Path, "/"+itoa(p.UnitID)+"/"):
			// A unit starts from the plan of a unit above it (a ward from its district's).
			v.CopyFrom = append(v.CopyFrom, r)
		}
	}
	active := v.TA.Status == domain.TargetApproved || v.TA.Status == domain.TargetInProgress
	v.CanStartPlan = !own && active && u.Unit != nil && s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "plan:write")
	v.PlanError = in.planSum
	v.PlanField = web.Field{Name: "title", ID: "new-plan-title", Label: s.t(c, "plan.field.title"), Value: in.planTitle, Error: in.planTitleErr, Required: true}
	if in.planTitle == "" && in.planTitleErr == "" {
		v.PlanField.Value = s.t(c, "plan.default_title", "unit", v.TA.UnitName)
	}
	return nil
}
