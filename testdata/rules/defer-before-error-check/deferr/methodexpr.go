package deferr

import (
	"errors"
	"os"
)

type segment struct{ f *os.File }

func openSegment(path string) (*segment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &segment{f: f}, nil
}

func (s *segment) Close() error { return s.f.Close() }

// closeSafe checks its receiver.
func (s *segment) closeSafe() error {
	if s == nil {
		return nil
	}
	return s.f.Close()
}

// The method expression takes seg as its receiver before err is checked.
func countRecords(path string) (int, error) {
	seg, err := openSegment(path)
	defer (*segment).Close(seg) // want `seg from openSegment on line \d+ is used by the deferred \(\*segment\)\.Close\(seg\) before err is checked`
	if err != nil {
		return 0, err
	}
	return 1, nil
}

// The receiver is tested for nil by the method.
func countRecordsSafe(path string) (int, error) {
	seg, err := openSegment(path)
	defer (*segment).closeSafe(seg)
	if err != nil {
		return 0, errors.Join(err, errors.New("open"))
	}
	return 1, nil
}
