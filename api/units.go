package api

import (
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/tenants"
)

func (s *Server) createUnit(c echo.Context) error {
	var in tenants.NewUnit
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u, err := s.units.CreateUnit(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) getUnit(c echo.Context) error {
	return answerByID(c, s.units.FindUnitByID)
}

func (s *Server) listUnits(c echo.Context) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := tenants.UnitFilter{Limit: limit, Offset: offset}
	if f.Root, err = queryID(c, "root"); err != nil {
		return err
	}
	if v := c.QueryParam("q"); v != "" {
		f.Query = &v
	}
	if v := c.QueryParam("kind"); v != "" {
		if !tenants.ValidKind(v) {
			return domain.Invalid("Tham số không hợp lệ", map[string]string{"kind": "phải là province, district hoặc ward"})
		}
		f.Kind = &v
	}
	if v := c.QueryParam("code"); v != "" {
		f.Code = &v
	}
	return s.unitPage(c, f)
}

func (s *Server) unitPage(c echo.Context, f tenants.UnitFilter) error {
	units, n, err := s.units.FindUnits(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if units == nil {
		units = []*tenants.Unit{}
	}
	return c.JSON(http.StatusOK, Page[*tenants.Unit]{Items: units, Total: n, Limit: f.Limit, Offset: f.Offset})
}

func (s *Server) listChildren(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	if _, err := s.units.FindUnitByID(c.Request().Context(), id); err != nil {
		return err
	}
	return s.unitPage(c, tenants.UnitFilter{ParentID: &id, Limit: limit, Offset: offset})
}

func (s *Server) listSubtree(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	return s.unitPage(c, tenants.UnitFilter{Root: &id, Limit: limit, Offset: offset})
}

func (s *Server) updateUnit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var upd tenants.UnitUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	u, err := s.units.UpdateUnit(c.Request().Context(), id, upd)
	if err != nil {
		return err
	}
	s.bumpProvince(c)
	return c.JSON(http.StatusOK, u)
}

// bumpProvince invalidates the cached views of every campaign of the
// caller's province: a unit's name or type shows in all of them.
func (s *Server) bumpProvince(c echo.Context) {
	if s.opts.Views == nil {
		return
	}
	list, _, err := campaigns.FindCampaigns(c.Request().Context(), s.opts.DB, campaigns.CampaignFilter{Limit: 1000})
	if err != nil {
		s.log.WarnContext(c.Request().Context(), "campaigns of a renamed unit not invalidated", "err", err)
		return
	}
	for _, camp := range list {
		s.bump(c, camp.ProvinceUnitID, camp.ID)
	}
}

// importUnits takes the CSV as the raw body (text/csv) or as the "file"
// part of a multipart form.
func (s *Server) importUnits(c echo.Context) error {
	var body io.Reader = c.Request().Body
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if strings.HasPrefix(mt, "multipart/") {
		fh, err := c.FormFile("file")
		if err != nil {
			return domain.Invalid("Thiếu tệp CSV", map[string]string{"file": "chọn một tệp CSV"})
		}
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		body = f
	}
	rows, bad, err := tenants.ParseCSV(body)
	if err != nil {
		return err
	}
	res, err := s.units.Import(c.Request().Context(), rows, bad, nil)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, res)
}
