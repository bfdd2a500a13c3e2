// Drives go-tuf v2's updater against a served TUF repository, as tufsh's interop tests need it.
// Same arguments and output as src/test/js/refresh.mjs:
//
//	go-tuf-refresh --metadata-url URL [--targets-url URL] --root FILE --cache DIR [--target PATH]... [--out DIR]
//
// The cache's root.json (written by go-tuf after each refresh) is the trusted root when present,
// else --root. Prints one JSON line {ok, error, targets: [{path, length, sha256}]}; exit 0 or 1.
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/theupdateframework/go-tuf/v2/metadata/config"
	"github.com/theupdateframework/go-tuf/v2/metadata/updater"
)

type target struct {
	Path   string `json:"path"`
	Length int    `json:"length"`
	Sha256 string `json:"sha256"`
}

type result struct {
	Ok      bool     `json:"ok"`
	Error   *string  `json:"error"`
	Targets []target `json:"targets"`
}

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	metadataURL := flag.String("metadata-url", "", "metadata base URL")
	targetsURL := flag.String("targets-url", "", "targets base URL")
	root := flag.String("root", "", "trusted root.json shipped with the client")
	cache := flag.String("cache", "", "metadata cache folder")
	out := flag.String("out", "", "download folder")
	var targets list
	flag.Var(&targets, "target", "target path to download (repeatable)")
	flag.Parse()
	got, err := run(*metadataURL, *targetsURL, *root, *cache, *out, targets)
	res := result{Ok: err == nil, Targets: got}
	if res.Targets == nil {
		res.Targets = []target{}
	}
	if err != nil {
		msg := strings.Join(strings.Fields(err.Error()), " ")
		res.Error = &msg
		res.Targets = []target{}
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	if err != nil {
		os.Exit(1)
	}
}

func run(metadataURL, targetsURL, root, cache, out string, targets []string) ([]target, error) {
	if metadataURL == "" || root == "" || cache == "" {
		return nil, errors.New("missing --metadata-url, --root or --cache")
	}
	if out == "" {
		out = filepath.Join(cache, "targets")
	}
	for _, d := range []string{cache, out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	trusted := filepath.Join(cache, "root.json")
	if _, err := os.Stat(trusted); err != nil {
		trusted = root
	}
	rootBytes, err := os.ReadFile(trusted)
	if err != nil {
		return nil, err
	}
	cfg, err := config.New(metadataURL, rootBytes)
	if err != nil {
		return nil, err
	}
	cfg.LocalMetadataDir = cache
	cfg.LocalTargetsDir = out
	cfg.RemoteTargetsURL = targetsURL
	cfg.PrefixTargetsWithHash = true
	up, err := updater.New(cfg)
	if err != nil {
		return nil, err
	}
	if err := up.Refresh(); err != nil {
		return nil, err
	}
	var done []target
	for _, p := range targets {
		info, err := up.GetTargetInfo(p)
		if err != nil {
			return nil, fmt.Errorf("target '%s' is not listed in the repository: %w", p, err)
		}
		file := filepath.Join(out, filepath.FromSlash(p))
		if !strings.HasPrefix(file, filepath.Clean(out)+string(os.PathSeparator)) {
			return nil, fmt.Errorf("target '%s' would be written outside %s", p, out)
		}
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			return nil, err
		}
		_, data, err := up.DownloadTarget(info, file, "")
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		done = append(done, target{Path: p, Length: len(data), Sha256: hex.EncodeToString(sum[:])})
	}
	return done, nil
}
