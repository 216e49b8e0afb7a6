package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

// modelsView lists the self-management models (mô hình tự quản) of a
// unit — criterion 3 counts the effective ones — with, for the ward that
// runs them, the form that adds one.
type modelsView struct {
	web.Page
	Unit      *tenants.Unit
	Models    []modelView
	Effective int
	CanWrite  bool
	Fields    []web.Field
	Error     string
}

type modelView struct {
	Name, Type, Notes string
	Established       domain.Date
	Members           int64
	Effective         badge
}

// modelForm is what a refused model form sent back.
type modelForm struct {
	values  map[string]string
	errs    map[string]string
	summary string
}

// modelTypeName names a model type in the user's language.
func (s *Server) modelTypeName(c echo.Context, code string) string {
	if k := "model.type." + code; s.web.Catalogue().Has(k) {
		return s.t(c, k)
	}
	return domain.ModelTypeName(code)
}

// modelsShow shows the models of a unit in the caller's scope.
func (s *Server) modelsShow(c echo.Context) error {
	return s.renderModels(c, http.StatusOK, modelForm{})
}

func (s *Server) renderModels(c echo.Context, status int, in modelForm) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	unit, err := s.units.FindUnitByID(ctx, id)
	if err != nil {
		return err
	}
	list, err := campaigns.FindModels(ctx, s.opts.DB, id)
	if err != nil {
		return err
	}
	v := modelsView{Page: s.page(c), Unit: unit, Error: in.summary}
	for _, m := range list {
		mv := modelView{Name: m.Name, Type: s.modelTypeName(c, m.Type), Notes: m.Notes, Established: m.EstablishedOn, Members: m.MembersCount,
			Effective: badge{Kind: "not_met", Label: s.t(c, "models.effective.no")}}
		if m.Effective {
			v.Effective++
			mv.Effective = badge{Kind: "met", Icon: "✓", Label: s.t(c, "models.effective.yes")}
		}
		v.Models = append(v.Models, mv)
	}
	v.CanWrite = s.opts.Enforcer.Can(u.ID, u.HomeUnitID(), "model:write")
	if v.CanWrite {
		val := in.values
		if val == nil {
			val = map[string]string{"type": domain.ModelBoardingHouses}
		}
		typ := web.Field{Name: "type", ID: "model-type", Label: s.t(c, "models.type"), Type: "select", Error: in.errs["type"], Required: true}
		for _, t := range domain.ModelTypes() {
			typ.Options = append(typ.Options, web.Option{Value: t.Code, Label: s.modelTypeName(c, t.Code), Selected: t.Code == val["type"]})
		}
		v.Fields = []web.Field{
			{Name: "name", ID: "model-name", Label: s.t(c, "models.name"), Hint: s.t(c, "models.name.hint"), Value: val["name"], Error: in.errs["name"], Required: true},
			typ,
			{Name: "established_on", ID: "model-established_on", Label: s.t(c, "models.established_on"), Hint: s.t(c, "form.date.hint"), Value: val["established_on"], Error: in.errs["established_on"], Autocomplete: "off"},
			{Name: "members_count", ID: "model-members_count", Label: s.t(c, "models.members_count"), Type: "number", Value: val["members_count"], Error: in.errs["members_count"], Autocomplete: "off"},
			{Name: "effective", ID: "model-effective", Label: s.t(c, "models.effective"), Type: "checkbox", Value: val["effective"], Error: in.errs["effective"]},
			{Name: "notes", ID: "model-notes", Label: s.t(c, "models.notes"), Type: "textarea", Value: val["notes"], Error: in.errs["notes"]},
		}
	}
	return s.render(c, status, "models", v)
}
