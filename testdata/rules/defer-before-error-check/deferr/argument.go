package deferr

import "os"

// The argument tmp.Name() is evaluated at the defer statement: when CreateTemp fails, tmp is nil
// and the defer itself dereferences it.
func stage(dir string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "stage-*")
	defer os.Remove(tmp.Name()) // want `tmp from os\.CreateTemp on line \d+ is used by the deferred os\.Remove\(tmp\.Name\(\)\) before err is checked: when os\.CreateTemp fails tmp is nil, and the argument tmp\.Name\(\) is evaluated at the defer statement itself`
	if err != nil {
		return err
	}
	defer tmp.Close()
	_, err = tmp.Write(data)
	return err
}

// After the check, the same defer is fine. No finding.
func stageChecked(dir string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "stage-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	_, err = tmp.Write(data)
	return err
}

// The file itself handed to a helper, which may handle nil. No finding.
func stageQuiet(dir string) error {
	tmp, err := os.CreateTemp(dir, "stage-*")
	defer closeQuietly(tmp)
	if err != nil {
		return err
	}
	return nil
}
