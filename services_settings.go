package main

import "hubextract/backend/settings"

// SettingsService reads and saves the settings.
type SettingsService struct{ app *App }

// Get returns the settings in force.
func (s *SettingsService) Get() (settings.Settings, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return settings.Settings{}, err
	}
	return ws.Settings(), nil
}

// Save validates, saves and applies the settings; an error says in words
// what is wrong and nothing is changed.
func (s *SettingsService) Save(next settings.Settings) (settings.Settings, error) {
	ws, err := s.app.workspace()
	if err != nil {
		return settings.Settings{}, err
	}
	return ws.SaveSettings(next)
}
