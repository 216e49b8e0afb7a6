package api

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

type plansView struct {
	web.Page
	Plans   []planRow
	Filters []web.Field
	Pager   web.Pager
}

// plansPage lists the plans the caller can read — its unit's, its
// subtree's and the plans of units above about a target area in its
// scope — filtered by status.
func (s *Server) plansPage(c echo.Context) error {
	f := campaigns.PlanFilter{Limit: listPageSize}
	if o, ok := formInt64(c.QueryParam("offset")); ok && o != nil {
		f.Offset = int(*o)
	}
	status := c.QueryParam("status")
	if !slices.Contains(domain.PlanStatuses(), status) {
		status = ""
	}
	if status != "" {
		f.Status = &status
	}
	list, total, err := campaigns.FindPlans(c.Request().Context(), s.opts.DB, f, s.now())
	if err != nil {
		return err
	}
	v := plansView{Page: s.page(c)}
	for _, p := range list {
		v.Plans = append(v.Plans, s.planRowOf(c, p))
	}
	opts := []web.Option{{Value: "", Label: s.t(c, "form.any"), Selected: status == ""}}
	for _, st := range domain.PlanStatuses() {
		opts = append(opts, web.Option{Value: st, Label: s.t(c, "plan.status."+st), Selected: st == status})
	}
	v.Filters = []web.Field{{Name: "status", ID: "filter-status", Label: s.t(c, "plan.col.status"), Type: "select", Options: opts}}
	base := "/plans?"
	if status != "" {
		base += "status=" + url.QueryEscape(status) + "&"
	}
	v.Pager = web.Pager{Total: total, Limit: listPageSize, Offset: f.Offset, Base: base}
	return s.render(c, http.StatusOK, "plans", v)
}
