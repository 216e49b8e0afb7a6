package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/audit"
	"chuyenhoa/domain"
)

type auditView struct {
	web.Page
	Filters []web.Field
	Entries []activityItem
	Pager   web.Pager
}

const auditPageSize = 50

// auditPage lists the audit trail of the caller's scope with filters on
// action, object type, actor and dates (dd/mm/yyyy, Vietnam time).
func (s *Server) auditPage(c echo.Context) error {
	ctx := c.Request().Context()
	f := audit.Filter{Limit: auditPageSize}
	q := url.Values{}
	errs := map[string]string{}
	text := func(name string, dst **string) {
		if v := strings.TrimSpace(c.QueryParam(name)); v != "" {
			*dst = &v
			q.Set(name, v)
		}
	}
	text("action", &f.Action)
	text("object_type", &f.ObjectType)
	if v := c.QueryParam("actor_id"); v != "" {
		id, ok := formInt64(v)
		if !ok {
			errs["actor_id"] = s.t(c, "audit.f.bad_id")
		} else {
			f.ActorID = id
			q.Set("actor_id", v)
		}
	}
	for _, name := range []string{"from", "to"} {
		v := strings.TrimSpace(c.QueryParam(name))
		if v == "" {
			continue
		}
		d, err := domain.ParseDateVN(v)
		if err != nil {
			errs[name] = s.t(c, "audit.f.bad_date")
			continue
		}
		q.Set(name, v)
		t := d.Time()
		if name == "to" {
			t = d.AddDays(1).Time() // the whole day of "to"
		}
		if name == "from" {
			f.From = &t
		} else {
			f.To = &t
		}
	}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		errs["to"] = s.t(c, "audit.f.bad_range")
		f.To = nil
	}
	if off, ok := formInt64(c.QueryParam("offset")); ok && off != nil {
		f.Offset = int(*off)
	}
	entries, total, err := audit.FindEntries(ctx, s.opts.DB, f)
	if err != nil {
		return err
	}
	v := auditView{Page: s.page(c), Entries: s.activityItems(c, entries)}
	base := "/audit?"
	if enc := q.Encode(); enc != "" {
		base += enc + "&"
	}
	v.Pager = web.Pager{Total: total, Limit: auditPageSize, Offset: f.Offset, Base: base}
	actions := []web.Option{{Value: "", Label: s.t(c, "form.any")}}
	cat := s.web.Catalogue()
	for _, k := range cat.Keys() {
		if a, ok := strings.CutPrefix(k, "audit.action."); ok {
			actions = append(actions, web.Option{Value: a, Label: s.t(c, k), Selected: c.QueryParam("action") == a})
		}
	}
	types := []web.Option{{Value: "", Label: s.t(c, "form.any")}}
	for _, k := range cat.Keys() {
		if o, ok := strings.CutPrefix(k, "audit.object."); ok {
			types = append(types, web.Option{Value: o, Label: s.t(c, k), Selected: c.QueryParam("object_type") == o})
		}
	}
	v.Filters = []web.Field{
		{Name: "action", Label: s.t(c, "audit.f.action"), Type: "select", Options: actions},
		{Name: "object_type", Label: s.t(c, "audit.f.object_type"), Type: "select", Options: types},
		{Name: "actor_id", Label: s.t(c, "audit.f.actor"), Type: "number", Value: c.QueryParam("actor_id"), Error: errs["actor_id"]},
		{Name: "from", Label: s.t(c, "audit.f.from"), Value: c.QueryParam("from"), Error: errs["from"]},
		{Name: "to", Label: s.t(c, "audit.f.to"), Value: c.QueryParam("to"), Error: errs["to"]},
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	return s.render(c, status, "audit", v)
}
