package main

import "hubextract/backend/workspace"

// ConnectionService connects the app to HubSpot (a key, or the sample
// data) for the Welcome screen.
type ConnectionService struct{ app *App }

// Status reports the source, the key's storage and the database.
func (s *ConnectionService) Status() (workspace.Status, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Status{}, err
	}
	return ws.Status()
}

// Test checks a key against HubSpot and saves it when HubSpot accepts it.
func (s *ConnectionService) Test(token string) (workspace.Connection, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Connection{}, err
	}
	return ws.TestConnection(s.app.ctx, token)
}

// Disconnect forgets the saved key.
func (s *ConnectionService) Disconnect() (workspace.Status, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Status{}, err
	}
	return ws.Disconnect()
}

// UseSampleData switches to the built-in fake HubSpot and its own database.
func (s *ConnectionService) UseSampleData() (workspace.Status, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Status{}, err
	}
	return ws.UseSample()
}

// LeaveSampleData switches back to the user's HubSpot and database.
func (s *ConnectionService) LeaveSampleData() (workspace.Status, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return workspace.Status{}, err
	}
	return ws.LeaveSample()
}
