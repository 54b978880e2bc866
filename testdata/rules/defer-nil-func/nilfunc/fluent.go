package nilfunc

// Syncer copies keys; an after-sync hook may be installed.
type Syncer struct {
	n         int
	afterSync func()
}

// WithAfterSync installs the hook: the field is set only if a user calls it.
func (s *Syncer) WithAfterSync(fn func()) *Syncer {
	s.afterSync = fn
	return s
}

// SyncAll runs the hook unguarded.
func (s *Syncer) SyncAll(keys []string) int {
	defer s.afterSync() // want `the package tests Syncer\.afterSync against nil \(line \d+\), so it can be nil`
	s.n += len(keys)
	return s.n
}

// SyncHooked runs the hook only when one is installed.
func (s *Syncer) SyncHooked(keys []string) int {
	if hook := s.afterSync; hook != nil {
		defer hook()
	}
	s.n += len(keys)
	return s.n
}
