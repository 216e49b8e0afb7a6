package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

type targetAreasView struct {
	web.Page
	Campaign      *campaigns.Campaign
	Campaigns     []*campaigns.Campaign
	Filters       []web.Field
	Areas         []targetRow
	Pager         web.Pager
	CanApprove    bool
	HasProposed   bool
	ApproveFields []web.Field
	IDsError      string
	Error         string
	CanPropose    bool
	Wards         []web.Option
	UnitsError    string
	ReasonField   web.Field
	ProposeError  string
}

type targetRow struct {
	ID       int64
	UnitName string
	Status   string
	Badge    badge
	Reason   string
	Decision string
	Selected bool
}

// targetForm is what a refused target-area form sends back.
type targetForm struct {
	proposeUnits  []string
	proposeReason string
	proposeErrs   map[string]string
	proposeSum    string
	approveIDs    []string
	approveNumber string
	approveDate   string
	approveErrs   map[string]string
	approveSum    string
}

// targetAreasPage lists the target areas of a campaign in the caller's
// scope; a district proposes wards here and the province approves them.
func (s *Server) targetAreasPage(c echo.Context) error {
	return s.renderTargetAreas(c, http.StatusOK, targetForm{})
}

func (s *Server) renderTargetAreas(c echo.Context, status int, in targetForm) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	can := func(p string) bool { return s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), p) }
	cc, err := s.campaignFor(c)
	if err != nil {
		return err
	}
	v := targetAreasView{Page: s.page(c), Campaign: cc.Campaign, Campaigns: cc.Campaigns}
	if cc.Campaign == nil {
		return s.render(c, status, "target_areas", v)
	}
	f := campaigns.TargetAreaFilter{CampaignID: &cc.Campaign.ID, Limit: listPageSize}
	st := c.QueryParam("status")
	if st != "" {
		f.Status = &st
	}
	if o, ok := formInt64(c.QueryParam("offset")); ok && o != nil {
		f.Offset = int(*o)
	}
	areas, total, err := campaigns.FindTargetAreas(ctx, s.opts.DB, f)
	if err != nil {
		return err
	}
	selected := map[string]bool{}
	for _, id := range in.approveIDs {
		selected[id] = true
	}
	for _, ta := range areas {
		row := targetRow{ID: ta.ID, UnitName: ta.UnitName, Status: ta.Status, Badge: s.targetBadge(c, ta.Status), Reason: ta.Reason,
			Selected: selected[strconv.FormatInt(ta.ID, 10)]}
		if ta.Decision != nil {
			row.Decision = ta.Decision.String()
		}
		if ta.Status == domain.TargetProposed {
			v.HasProposed = true
		}
		v.Areas = append(v.Areas, row)
	}
	base := "/target-areas?campaign=" + itoa(cc.Campaign.ID) + "&"
	if st != "" {
		base += "status=" + st + "&"
	}
	v.Pager = web.Pager{Total: total, Limit: listPageSize, Offset: f.Offset, Base: base}
	statuses := []web.Option{{Value: "", Label: s.t(c, "form.any")}}
	for _, ts := range domain.TargetStatuses() {
		if ts == domain.TargetNone {
			continue
		}
		statuses = append(statuses, web.Option{Value: ts, Label: s.t(c, "target.status."+ts), Selected: ts == st})
	}
	v.Filters = []web.Field{{Name: "status", Label: s.t(c, "targets.f.status"), Type: "select", Options: statuses}}
	v.CanApprove = can("target:approve")
	if v.CanApprove {
		v.IDsError, v.Error = in.approveErrs["ids"], in.approveSum
		v.ApproveFields = []web.Field{
			{Name: "decision_number", Label: s.t(c, "targets.decision_number"), Hint: s.t(c, "campaign.f.decision_number.hint"), Value: in.approveNumber, Error: in.approveErrs["decision.number"], Required: true},
			{Name: "decision_date", Label: s.t(c, "targets.decision_date"), Value: in.approveDate, Error: in.approveErrs["decision.date"], Required: true},
		}
	}
	// The unit directly above a ward proposes it: a district its wards, a
	// province the wards directly under it (two-tier), when it has any.
	v.CanPropose = can("target:propose") && u.Unit != nil && (u.Unit.Kind == tenants.KindDistrict || u.Unit.Kind == tenants.KindProvince)
	if v.CanPropose {
		if err := s.proposableWards(c, &v, u, cc.Campaign.ID, in); err != nil {
			return err
		}
		v.CanPropose = u.Unit.Kind == tenants.KindDistrict || len(v.Wards) > 0 || len(in.proposeUnits) > 0
	}
	return s.render(c, status, "target_areas", v)
}

// proposableWards lists the wards directly under the caller's unit (a
// district's, or a two-tier province's) that are not yet target areas of
// the campaign.
func (s *Server) proposableWards(c echo.Context, v *targetAreasView, u *identity.User, campaignID int64, in targetForm) error {
	ctx := c.Request().Context()
	kind := tenants.KindWard
	wards, _, err := s.units.FindUnits(ctx, tenants.UnitFilter{ParentID: &u.Unit.ID, Kind: &kind, Limit: 1000})
	if err != nil {
		return err
	}
	taken, _, err := campaigns.FindTargetAreas(ctx, s.opts.DB, campaigns.TargetAreaFilter{CampaignID: &campaignID, Limit: 1000})
	if err != nil {
		return err
	}
	used := map[int64]bool{}
	for _, ta := range taken {
		used[ta.UnitID] = true
	}
	sel := map[string]bool{}
	for _, id := range in.proposeUnits {
		sel[id] = true
	}
	for _, w := range wards {
		if !used[w.ID] {
			id := strconv.FormatInt(w.ID, 10)
			v.Wards = append(v.Wards, web.Option{Value: id, Label: w.Name, Selected: sel[id]})
		}
	}
	v.ProposeError = in.proposeSum
	v.UnitsError = in.proposeErrs["unit_ids"]
	for k, msg := range in.proposeErrs {
		if strings.HasPrefix(k, "unit_ids[") && v.UnitsError == "" {
			v.UnitsError = msg
		}
	}
	v.ReasonField = web.Field{Name: "reason", Label: s.t(c, "targets.propose.reason"), Hint: s.t(c, "targets.propose.reason.hint"), Type: "textarea",
		Value: in.proposeReason, Error: in.proposeErrs["reason"], Required: true}
	return nil
}

// targetPropose stores the proposal of several wards at once by the unit directly above them.
func (s *Server) targetPropose(c echo.Context) error {
	form, _ := c.FormParams()
	in := targetForm{proposeUnits: form["unit_ids"], proposeReason: strings.TrimSpace(c.FormValue("reason"))}
	campaignID, _ := strconv.ParseInt(c.FormValue("campaign_id"), 10, 64)
	p := campaigns.Proposal{CampaignID: campaignID, Reason: in.proposeReason}
	for _, v := range in.proposeUnits {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			p.UnitIDs = append(p.UnitIDs, id)
		}
	}
	c.QueryParams().Set("campaign", c.FormValue("campaign_id"))
	out, err := s.proposeTargetAreasCmd(c.Request().Context(), p)
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		in.proposeErrs, in.proposeSum = fields, summary
		return s.renderTargetAreas(c, http.StatusBadRequest, in)
	}
	s.flash(c, "ok", s.t(c, "targets.propose.done", "n", len(out)))
	return redirect(c, "/target-areas?campaign="+itoa(campaignID))
}

// parseDecision reads a decision's number and date (dd/mm/yyyy) from a form.
func (s *Server) parseDecision(c echo.Context, number, date string) (*domain.Document, map[string]string) {
	doc := &domain.Document{Number: strings.TrimSpace(number)}
	errs := map[string]string{}
	if d := strings.TrimSpace(date); d != "" {
		parsed, msg := s.formDate(c, d)
		if msg != "" {
			errs["decision.date"] = msg
		} else {
			doc.Date = parsed
		}
	}
	return doc, errs
}

// targetApprove approves the selected proposed areas with one decision.
func (s *Server) targetApprove(c echo.Context) error {
	form, _ := c.FormParams()
	in := targetForm{approveIDs: form["ids"], approveNumber: c.FormValue("decision_number"), approveDate: c.FormValue("decision_date")}
	var ids []int64
	for _, v := range in.approveIDs {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	doc, errs := s.parseDecision(c, in.approveNumber, in.approveDate)
	if len(ids) == 0 {
		errs["ids"] = s.t(c, "targets.select_one")
	}
	var campaignID int64
	if len(errs) == 0 {
		out, err := s.bulkTargetActionCmd(c.Request().Context(), ids, domain.TargetActApprove, domain.TargetActionInput{Decision: doc})
		if err == nil {
			for _, ta := range out {
				campaignID = ta.CampaignID
			}
			s.bumpCampaign(c, campaignID)
			s.flash(c, "ok", s.t(c, "targets.approve.done", "n", len(out)))
			return redirect(c, "/target-areas?campaign="+itoa(campaignID))
		}
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		errs, in.approveSum = fields, summary
	} else {
		in.approveSum = s.t(c, "form.invalid")
	}
	in.approveErrs = errs
	return s.renderTargetAreas(c, http.StatusBadRequest, in)
}

// bumpCampaign invalidates the cached comparisons of a campaign of the
// caller's province after a target-area change.
func (s *Server) bumpCampaign(c echo.Context, campaignID int64) {
	if camp, err := campaigns.FindCampaignByID(c.Request().Context(), s.opts.DB, campaignID); err == nil {
		s.bump(c, camp.ProvinceUnitID, camp.ID)
	}
}
