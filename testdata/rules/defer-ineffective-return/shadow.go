package ineffective

import (
	"fmt"
	"os"
)

// The literal is registered inside a block whose `:=` redeclares err: it wraps the inner err,
// and the named result stays as the return set it.
func openNamed(name string, useFile bool) (size int64, err error) {
	if useFile {
		f, err := os.Open(name)
		if err != nil {
			return 0, err
		}
		defer func() {
			if err != nil {
				err = fmt.Errorf("%s: %v", name, err) // want `but err there is the variable declared on line 12, which shadows the named result err of openNamed: .*give the err declared on line 12 another name`
			}
		}()
		st, err := f.Stat()
		if err != nil {
			return 0, err
		}
		return st.Size(), nil
	}
	return 0, nil
}

// The literal declares its own err in the if statement: the wrapped panic goes into that err,
// and the named result stays nil.
func recoverShadowed() (err error) {
	defer func() {
		if err := recover(); err != nil {
			err = fmt.Errorf("recovered: %v", err) // want `err there is the literal's own variable declared on line 34, which shadows the named result err of recoverShadowed: .*returns without this error`
		}
	}()
	return work2()
}

func closeShadowed(name string) (err error) {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if err := f.Close(); err != nil {
			err = fmt.Errorf("close %s: %w", name, err) // want `err there is the literal's own variable declared on line 47, which shadows the named result err of closeShadowed`
		}
	}()
	_, err = f.WriteString("x")
	return err
}

func work2() error { return nil }

// The literal's own variable is used after the assignment: it is logged, not lost.
func recoverLogged() (err error) {
	defer func() {
		if err := recover(); err != nil {
			err = fmt.Errorf("recovered: %v", err)
			fmt.Println(err)
		}
	}()
	return work2()
}

// The literal's own r is a different name: the assignment goes to the named result.
func recoverNamed() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	return work2()
}

// No named result of that name: the literal's variable is just a local of the literal.
func recoverNoResult() error {
	defer func() {
		if err := recover(); err != nil {
			err = fmt.Errorf("recovered: %v", err)
		}
	}()
	return work2()
}

// The named result err is not an error: nothing is lost that the function returns as an error.
func recoverCount() (err int) {
	defer func() {
		if err := recover(); err != nil {
			err = 1
		}
	}()
	return 0
}
