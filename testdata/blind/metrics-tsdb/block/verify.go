package block

import "sync"

// VerifyDirs opens and verifies the blocks in dirs with the given number of
// workers and returns one error slot per directory.
func VerifyDirs(dirs []string, workers int) []error {
	errs := make([]error, len(dirs))
	workers = max(1, min(workers, len(dirs)))
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(dirs); i += workers {
				errs[i] = verifyDir(dirs[i])
			}
		}()
	}
	wg.Wait()
	return errs
}

func verifyDir(dir string) error {
	b, err := Open(dir)
	if err != nil {
		return err
	}
	defer b.Close()
	return b.Verify()
}
