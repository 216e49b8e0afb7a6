package api

// registerCampaignRoutes registers the campaign endpoints.
func (s *Server) registerCampaignRoutes() {}

// campaignSchemas lists the OpenAPI components of the campaign endpoints.
func campaignSchemas() map[string]any { return map[string]any{} }
