// Command probe inspects media files the way the transcoder sees them:
// stream info, a remote fetch-and-probe, and thumbnail extraction.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"text/tabwriter"
	"time"

	"example.com/mediatranscoder/internal/encoder"
	"example.com/mediatranscoder/internal/metrics"
	"example.com/mediatranscoder/internal/thumbnail"
)

var (
	ffmpegPath  = envOr("FFMPEG", "ffmpeg")
	ffprobePath = envOr("FFPROBE", "ffprobe")
	logger      = log.New(os.Stderr, "probe: ", 0)
)

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func usage() {
	fmt.Fprintln(os.Stderr, `usage: probe <command> [flags] args

commands:
  info FILE...     print container and stream information
  fetch URL        download URL to a temp file and probe it
  thumbs FILE DIR  extract thumbnails into DIR`)
}

func main() {
	flag.Usage = func() {
		usage()
		os.Exit(2)
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
	}
	os.Exit(run(flag.Arg(0), flag.Args()[1:]))
}

func run(cmd string, args []string) int {
	switch cmd {
	case "info":
		return cmdInfo(args)
	case "fetch":
		return cmdFetch(args)
	case "thumbs":
		return cmdThumbs(args)
	default:
		usage()
		return 2
	}
}

func newRunner() *encoder.Runner {
	return encoder.NewRunner(ffmpegPath, ffprobePath, 0, logger)
}

func cmdInfo(args []string) int {
	flags := flag.NewFlagSet("info", flag.ExitOnError)
	asJSON := flags.Bool("json", false, "print raw JSON")
	timeout := flags.Duration("timeout", 30*time.Second, "per-file timeout")
	_ = flags.Parse(args)
	defer metrics.Trace(logger, "info")()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout*time.Duration(max(1, flags.NArg())))
	defer cancel()
	r := newRunner()
	status := 0
	for _, path := range flags.Args() {
		res, err := r.Probe(ctx, path)
		if err != nil {
			logger.Printf("%s: %v", path, err)
			status = 1
			continue
		}
		if *asJSON {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(res); err != nil {
				logger.Print(err)
				return 1
			}
			continue
		}
		if err := printInfo(os.Stdout, path, res); err != nil {
			logger.Print(err)
			return 1
		}
	}
	return status
}

func printInfo(w io.Writer, path string, res *encoder.ProbeResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\t%s\n", path)
	fmt.Fprintf(tw, "format\t%s\n", res.Format.FormatName)
	if d, err := res.Duration(); err == nil {
		fmt.Fprintf(tw, "duration\t%s\n", d.Round(time.Millisecond))
	}
	for _, s := range res.Streams {
		switch s.CodecType {
		case "video":
			fmt.Fprintf(tw, "stream %d\tvideo %s %dx%d @ %s\n", s.Index, s.CodecName, s.Width, s.Height, s.RFrameRate)
		case "audio":
			fmt.Fprintf(tw, "stream %d\taudio %s %d ch\n", s.Index, s.CodecName, s.Channels)
		default:
			fmt.Fprintf(tw, "stream %d\t%s %s\n", s.Index, s.CodecType, s.CodecName)
		}
	}
	return tw.Flush()
}

// fatalf prints an error and exits; it never returns.
func fatalf(format string, args ...any) {
	logger.Printf(format, args...)
	os.Exit(1)
}

func cmdFetch(args []string) int {
	flags := flag.NewFlagSet("fetch", flag.ExitOnError)
	timeout := flags.Duration("timeout", 5*time.Minute, "download timeout")
	_ = flags.Parse(args)
	if flags.NArg() != 1 {
		usage()
		return 2
	}
	url := flags.Arg(0)
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	tmp, err := os.CreateTemp("", "probe-fetch-*")
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer os.Remove(tmp.Name())
	if err := download(ctx, url, tmp); err != nil {
		tmp.Close()
		fatalf("download %s: %v", url, err) // HAZ exit-skips-defer
	}
	if err := tmp.Close(); err != nil {
		logger.Print(err)
		return 1
	}
	res, err := newRunner().Probe(ctx, tmp.Name())
	if err != nil {
		logger.Printf("probe %s: %v", url, err)
		return 1
	}
	if err := printInfo(os.Stdout, url, res); err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}

// download copies url into w; the response body is closed only after the
// error check.
func download(ctx context.Context, url string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

func cmdThumbs(args []string) int {
	flags := flag.NewFlagSet("thumbs", flag.ExitOnError)
	count := flags.Int("n", 6, "number of thumbnails")
	width := flags.Int("width", 320, "thumbnail width")
	_ = flags.Parse(args)
	if flags.NArg() != 2 {
		usage()
		return 2
	}
	src, dir := flags.Arg(0), flags.Arg(1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	res, err := newRunner().Probe(ctx, src)
	if err != nil {
		logger.Print(err)
		return 1
	}
	dur, err := res.Duration()
	if err != nil {
		logger.Print(err)
		return 1
	}
	gen, err := thumbnail.New(ffmpegPath, dir, *width, nil)
	if err != nil {
		logger.Print(err)
		return 1
	}
	paths, err := gen.Generate(ctx, src, thumbnail.FrameTimes(dur, *count))
	for _, p := range paths {
		if p != "" {
			fmt.Println(p)
		}
	}
	if err != nil {
		logger.Print(err)
		return 1
	}
	return 0
}
