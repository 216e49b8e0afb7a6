package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

type campaignsView struct {
	web.Page
	Campaigns []campaignRow
	CanCreate bool
	Fields    []web.Field
	Error     string
}

type campaignRow struct {
	ID       int64
	Year     int
	Title    string
	Decision string
	Periods  string
}

type campaignForm struct {
	year, title, number, date, issuer string
	errs                              map[string]string
	summary                           string
}

// campaignsPage lists the province's campaigns with the form that creates one.
func (s *Server) campaignsPage(c echo.Context) error {
	return s.renderCampaigns(c, http.StatusOK, campaignForm{year: strconv.Itoa(s.today().Year)})
}

func (s *Server) renderCampaigns(c echo.Context, status int, in campaignForm) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	list, _, err := campaigns.FindCampaigns(ctx, s.opts.DB, campaigns.CampaignFilter{Limit: 100})
	if err != nil {
		return err
	}
	v := campaignsView{Page: s.page(c), Error: in.summary,
		CanCreate: s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "campaign:create") && u.Unit != nil && u.Unit.Kind == tenants.KindProvince}
	for _, camp := range list {
		var codes []string
		for _, p := range camp.Calendar {
			codes = append(codes, p.Name)
		}
		v.Campaigns = append(v.Campaigns, campaignRow{ID: camp.ID, Year: camp.Year, Title: camp.Title, Decision: camp.Decision.String(), Periods: strings.Join(codes, "; ")})
	}
	e := in.errs
	v.Fields = []web.Field{
		{Name: "year", Label: s.t(c, "campaign.f.year"), Type: "number", Value: in.year, Error: e["year"], Required: true},
		{Name: "title", Label: s.t(c, "campaign.f.title"), Hint: s.t(c, "campaign.f.title.hint"), Value: in.title, Error: e["title"]},
		{Name: "decision_number", Label: s.t(c, "campaign.f.decision_number"), Hint: s.t(c, "campaign.f.decision_number.hint"), Value: in.number, Error: e["decision.number"], Required: true},
		{Name: "decision_date", Label: s.t(c, "campaign.f.decision_date"), Value: in.date, Error: e["decision.date"], Required: true},
		{Name: "decision_issuer", Label: s.t(c, "campaign.f.decision_issuer"), Value: in.issuer, Error: e["decision.issuer"]},
	}
	return s.render(c, status, "campaigns", v)
}

// campaignCreate creates the province's campaign through the same command
// as POST /api/v1/campaigns.
func (s *Server) campaignCreate(c echo.Context) error {
	in := campaignForm{year: strings.TrimSpace(c.FormValue("year")), title: strings.TrimSpace(c.FormValue("title")),
		number: c.FormValue("decision_number"), date: c.FormValue("decision_date"), issuer: strings.TrimSpace(c.FormValue("decision_issuer"))}
	doc, errs := s.parseDecision(c, in.number, in.date)
	doc.Issuer = in.issuer
	year, err := strconv.Atoi(in.year)
	if err != nil {
		errs["year"] = s.t(c, "form.bad_number")
	}
	if len(errs) > 0 {
		in.errs, in.summary = errs, s.t(c, "form.invalid")
		return s.renderCampaigns(c, http.StatusBadRequest, in)
	}
	out, err := s.createCampaignCmd(c.Request().Context(), NewCampaign{Year: year, Title: in.title, Decision: *doc})
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		in.errs, in.summary = fields, summary
		return s.renderCampaigns(c, http.StatusBadRequest, in)
	}
	s.flash(c, "ok", s.t(c, "campaign.created", "title", out.Title))
	return redirect(c, "/campaigns")
}
