package nilfunc

import "os"

type stageHooks struct {
	before func() error
	after  func()
}

// Only the scratch path gives the hook set an after func.
func runScratchStage(work string, scratch bool, run func() error) error {
	var h stageHooks
	if scratch {
		dir, err := os.MkdirTemp(work, "stage-")
		if err != nil {
			return err
		}
		h.before = func() error { return os.Chmod(dir, 0o700) }
		h.after = func() { _ = os.Remove(dir) }
	}
	defer h.after() // want `h\.after is set only on some paths \(line \d+\), and h starts with a nil after`
	if h.before != nil {
		if err := h.before(); err != nil {
			return err
		}
	}
	return run()
}

// Given a no-op first: every path has one.
func runScratchStageDefault(work string, scratch bool, run func() error) error {
	h := stageHooks{after: func() {}}
	if scratch {
		dir, err := os.MkdirTemp(work, "stage-")
		if err != nil {
			return err
		}
		h.after = func() { _ = os.Remove(dir) }
	}
	defer h.after()
	return run()
}

// Set on both branches.
func runScratchStageBoth(work string, scratch bool, run func() error) error {
	var h stageHooks
	if scratch {
		h.after = func() { _ = os.RemoveAll(work) }
	} else {
		h.after = func() {}
	}
	defer h.after()
	return run()
}
