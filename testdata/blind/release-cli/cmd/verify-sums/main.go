// Command verify-sums checks a SHA256SUMS file (and its signature, when
// present) against the files next to it. It is shipped in the release for
// users who do not have sha256sum.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"example.com/releasecli/internal/checksum"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("verify-sums: ")
	parallel := flag.Bool("parallel", false, "hash files concurrently")
	skipSig := flag.Bool("skip-signature", false, "do not check SHA256SUMS.asc")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: verify-sums [-parallel] [-skip-signature] SHA256SUMS")
	}
	sumsPath := flag.Arg(0)

	if !*skipSig {
		if err := verifySignature(sumsPath); err != nil {
			log.Fatal(err)
		}
	}
	if err := verify(sumsPath, *parallel); err != nil {
		log.Fatal(err)
	}
	fmt.Println("OK")
}

// verifySignature checks sumsPath.asc with gpg if the signature exists.
func verifySignature(sumsPath string) error {
	sig := sumsPath + ".asc"
	if _, err := os.Stat(sig); errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "verify-sums: no signature, skipping")
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, "gpg", "--batch", "--verify", sig, sumsPath)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bad signature: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

func verify(sumsPath string, parallel bool) error {
	dir := filepath.Dir(sumsPath)
	if !parallel {
		return checksum.Verify(dir, sumsPath)
	}
	want, err := checksum.ParseSumsFile(sumsPath)
	if err != nil {
		return err
	}
	return checksum.VerifyAll(dir, want)
}
