package browsertest

import (
	"bytes"
	"context"
	"flag"
	"image/png"
	"os"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// screenshotDir, when set, receives every screenshot as <page>-<viewport>.png;
// docs/screenshots holds the committed copies.
var screenshotDir = flag.String("screenshots", "", "write page screenshots (PNG) into this directory, e.g. ../../docs/screenshots")

// maxScreenshotBytes keeps the committed screenshots small.
const maxScreenshotBytes = 200 << 10

// screenshot captures the whole page as a PNG, checks that it is as wide as
// the viewport, at least as tall, and small, and writes it when asked to.
func (tb *tab) screenshot(pageName string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Fatalf("screenshot of the %s page: %v", pageName, err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(shot))
	if err != nil {
		tb.t.Fatalf("screenshot of the %s page is not a PNG: %v", pageName, err)
	}
	if int64(cfg.Width) != tb.vp.width || int64(cfg.Height) < tb.vp.height {
		tb.t.Errorf("screenshot of the %s page is %d×%d, want %d wide and at least %d tall",
			pageName, cfg.Width, cfg.Height, tb.vp.width, tb.vp.height)
	}
	if len(shot) > maxScreenshotBytes {
		tb.t.Errorf("screenshot of the %s page is %d bytes, want at most %d", pageName, len(shot), maxScreenshotBytes)
	}
	if *screenshotDir == "" {
		return
	}
	name := filepath.Join(*screenshotDir, pageName+"-"+tb.vp.name+".png")
	if err := os.WriteFile(name, shot, 0o644); err != nil {
		tb.t.Fatalf("write %s: %v", name, err)
	}
}
