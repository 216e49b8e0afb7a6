package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

func (s *Server) registerCommitteeRoutes() {
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id/committee", Permission: "committee:read", Tag: "committees",
		Summary: "The steering committee (Ban Chỉ đạo) roster of a unit, by rank, with the target areas each member is assigned to", Response: "CommitteeMemberList", Handler: s.listCommittee})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/units/:id/committee", Permission: "committee:write", Tag: "committees",
		Summary: "Add a member to a unit's committee (one head, one standing deputy head); assigned target areas must lie in the unit's subtree",
		Body:    "CommitteeInput", Response: "CommitteeMember", Created: true, Handler: s.createMember})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/committee-members/:id", Permission: "committee:read", Tag: "committees",
		Summary: "Read one committee member", Response: "CommitteeMember", Handler: s.getMember})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/committee-members/:id", Permission: "committee:write", Tag: "committees",
		Summary: "Replace a committee member's details and assignments; version required", Body: "CommitteeInput", Response: "CommitteeMember", Handler: s.updateMember})
	s.add(Route{Method: http.MethodDelete, Path: "/api/v1/committee-members/:id", Permission: "committee:write", Tag: "committees",
		Summary: "Remove a committee member no task names as responsible", Response: "CommitteeMember", Handler: s.deleteMember})

	s.add(Route{Method: http.MethodGet, Path: "/api/v1/model-types", Permission: "model:read", Tag: "models",
		Summary: "The types of self-management model, the seed's four first", Response: "ModelTypeList", Handler: s.modelTypes})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/units/:id/models", Permission: "model:read", Tag: "models",
		Summary: "The self-management models (mô hình tự quản) of a unit", Response: "ModelList", Handler: s.listModels})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/units/:id/models", Permission: "model:write", Tag: "models",
		Summary: "Add a self-management model to a unit", Body: "ModelInput", Response: "Model", Created: true, Handler: s.createModel})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/models/:id", Permission: "model:write", Tag: "models",
		Summary: "Replace a self-management model; version required", Body: "ModelInput", Response: "Model", Handler: s.updateModel})
	s.add(Route{Method: http.MethodDelete, Path: "/api/v1/models/:id", Permission: "model:write", Tag: "models",
		Summary: "Remove a self-management model", Response: "Model", Handler: s.deleteModel})
}

func committeeSchemas() map[string]any {
	return map[string]any{
		"CommitteeMember":     campaigns.CommitteeMember{},
		"CommitteeInput":      campaigns.CommitteeInput{},
		"CommitteeMemberList": ItemList[campaigns.CommitteeMember]{},
		"Model":               campaigns.Model{},
		"ModelInput":          campaigns.ModelInput{},
		"ModelList":           ItemList[campaigns.Model]{},
		"ModelTypeList":       ItemList[domain.ModelType]{},
	}
}

func (s *Server) listCommittee(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := campaigns.FindCommittee(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(list))
}

func (s *Server) getMember(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := campaigns.FindCommitteeMemberByID(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}

func (s *Server) createMember(c echo.Context) error {
	unitID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in campaigns.CommitteeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.createMemberCmd(c.Request().Context(), unitID, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) updateMember(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in campaigns.CommitteeInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var out *campaigns.CommitteeMember
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.UpdateCommitteeMember(ctx, tx, id, in, s.now())
		if err != nil {
			return err
		}
		out = after
		return record(ctx, tx, "committee.update", "committee_member", id, after.UnitID, before, after)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) deleteMember(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var out *campaigns.CommitteeMember
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		if out, err = campaigns.DeleteCommitteeMember(ctx, tx, id); err != nil {
			return err
		}
		return record(ctx, tx, "committee.delete", "committee_member", id, out.UnitID, out, nil)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) modelTypes(c echo.Context) error {
	return c.JSON(http.StatusOK, items(domain.ModelTypes()))
}

func (s *Server) listModels(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	list, err := campaigns.FindModels(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(list))
}

func (s *Server) saveModel(c echo.Context, unitID, id int64) error {
	var in campaigns.ModelInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.saveModelCmd(c.Request().Context(), unitID, id, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if id == 0 {
		status = http.StatusCreated
	}
	return c.JSON(status, out)
}

func (s *Server) createModel(c echo.Context) error {
	unitID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.saveModel(c, unitID, 0)
}

func (s *Server) updateModel(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	return s.saveModel(c, 0, id)
}

func (s *Server) deleteModel(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var out *campaigns.Model
	err = s.inTx(c.Request().Context(), func(ctx context.Context, tx bun.Tx) error {
		if out, err = campaigns.DeleteModel(ctx, tx, id); err != nil {
			return err
		}
		return record(ctx, tx, "model.delete", "model", id, out.UnitID, out, nil)
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
