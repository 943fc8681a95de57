package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/sigil-idp/sigil/server/branding"
	"github.com/sigil-idp/sigil/static"
	"github.com/sigil-idp/sigil/storage"
)

var brandingCommands = []command{
	{"show", "print a tenant's company branding (published, or the draft with --draft)", runBrandingShow},
	{"set", "change the draft branding with a Graph organizationalBranding JSON patch", runBrandingSet},
	{"image", "upload an image (favicon, headerLogo, backgroundImage, bannerLogo, squareLogo, squareLogoDark)", runBrandingImage},
	{"css", "upload custom CSS (sanitised; .ext-* selectors)", runBrandingCSS},
	{"css-template", "print the CSS template listing every .ext-* class", runBrandingCSSTemplate},
	{"delete-locale", "delete a per-language localization from the draft", runBrandingDeleteLocale},
	{"reset", "remove every custom setting from the draft", runBrandingReset},
	{"preview-url", "print the URL showing the draft on the sign-in page", runBrandingPreviewURL},
	{"publish", "make the draft the live branding", runBrandingPublish},
	{"discard", "drop the draft", runBrandingDiscard},
}

func runBranding(ctx context.Context, c *cli, args []string) error {
	return dispatch(ctx, c, "sigil branding", brandingCommands, args)
}

// brandingFlags are the flags of a tenant-scoped branding command.
type brandingFlags struct {
	*adminFlags
	tenant, locale *string
}

func (c *cli) brandingFlags(name, synopsis, about string, withLocale bool) *brandingFlags {
	f := &brandingFlags{adminFlags: c.adminFlags("branding "+name, synopsis, about)}
	f.tenant = f.fs.String("tenant", "", "tenant ID or verified domain (required)")
	empty := ""
	f.locale = &empty
	if withLocale {
		f.locale = f.fs.String("locale", "", "language of the localization to change, e.g. de; empty for the default branding")
	}
	return f
}

// openBranding opens the store and returns the branding service and tenant ID.
func (f *brandingFlags) openBranding(ctx context.Context, c *cli, args []string, others map[string]*string) (*admin, *branding.Service, string, error) {
	a, id, err := f.openTenant(ctx, c, args, f.tenant, others)
	if err != nil {
		return nil, nil, "", err
	}
	return a, &branding.Service{Store: a.store}, id, nil
}

func runBrandingShow(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("show", "--tenant T [--draft] [flags]",
		"Print the tenant's company branding as JSON: the default localization and the per-language ones.", false)
	draft := f.fs.Bool("draft", false, "show the draft (what the next publish makes live) instead of the published branding")
	a, svc, id, err := f.openBranding(ctx, c, args, nil)
	if err != nil {
		return err
	}
	defer a.close()
	stage := storage.BrandingPublished
	if *draft {
		stage = storage.BrandingDraft
	}
	b, err := svc.Get(ctx, id, stage)
	if err != nil {
		return err
	}
	return writeJSON(a.stdout, b)
}

func runBrandingSet(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("set", "--tenant T [--locale L] (--json '{...}' | --file patch.json | --file -) [flags]",
		"Change the draft with a JSON merge patch of Graph's organizationalBranding shape: fields present\n"+
			"are set, null clears one. Example: --json '{\"backgroundColor\":\"#0067b8\",\"signInPageText\":\"**Help**: 0800 123\"}'.\n"+
			"Images and CSS are uploaded with `sigil branding image` and `sigil branding css`.", true)
	inline := f.fs.String("json", "", "the patch as JSON")
	file := f.fs.String("file", "", "file holding the patch ('-' for standard input)")
	a, svc, id, err := f.openBranding(ctx, c, args, nil)
	if err != nil {
		return err
	}
	defer a.close()
	body := []byte(*inline)
	if *file != "" {
		if body, err = readInput(c, *file); err != nil {
			return err
		}
	}
	if len(body) == 0 {
		return usageErrorf("give the patch with --json or --file")
	}
	e, err := svc.Patch(ctx, id, *f.locale, body)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, e, "Draft changed. Preview it with `sigil branding preview-url`, then `sigil branding publish`.\n")
}

func runBrandingImage(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("image", "--tenant T [--locale L] --kind K --file F [flags]",
		"Upload a PNG or JPEG image into the draft. Sizes: favicon 32×32 ≤ 5 KB, headerLogo 245×36 ≤ 10 KB,\n"+
			"backgroundImage 1920×1080 ≤ 300 KB, bannerLogo 245×36 ≤ 50 KB, squareLogo and squareLogoDark 240×240 ≤ 50 KB.\n"+
			"Remove an image with `sigil branding set --json '{\"bannerLogoRelativeUrl\":null}'`.", true)
	kind := f.fs.String("kind", "", "which image (required)")
	file := f.fs.String("file", "", "the image file, or '-' for standard input (required)")
	a, svc, id, err := f.openBranding(ctx, c, args, map[string]*string{"kind": kind, "file": file})
	if err != nil {
		return err
	}
	defer a.close()
	data, err := readInput(c, *file)
	if err != nil {
		return err
	}
	name, err := svc.SetImage(ctx, id, *f.locale, branding.ImageKind(*kind), data)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]string{"kind": *kind, "relativeUrl": name}, fmt.Sprintf("Uploaded %s as %s into the draft.\n", *kind, name))
}

func runBrandingCSS(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("css", "--tenant T [--locale L] --file F [flags]",
		"Upload custom CSS into the draft. It is parsed and rewritten; url(), @import, expression() and\n"+
			"selectors other than body, a and .ext-* classes are refused. See `sigil branding css-template`.", true)
	file := f.fs.String("file", "", "the stylesheet, or '-' for standard input (required)")
	a, svc, id, err := f.openBranding(ctx, c, args, map[string]*string{"file": file})
	if err != nil {
		return err
	}
	defer a.close()
	data, err := readInput(c, *file)
	if err != nil {
		return err
	}
	name, err := svc.SetCustomCSS(ctx, id, *f.locale, data)
	if err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]string{"relativeUrl": name}, fmt.Sprintf("Uploaded custom CSS as %s into the draft.\n", name))
}

func runBrandingCSSTemplate(_ context.Context, c *cli, args []string) error {
	fset := c.newFlags("sigil branding css-template", "", "Print the custom CSS template: every .ext-* class the sign-in pages use.")
	if err := parse(fset, args); err != nil {
		return err
	}
	b, err := fs.ReadFile(static.FS, "custom-css-template.css")
	if err != nil {
		return err
	}
	_, err = c.stdout.Write(b)
	return err
}

func runBrandingDeleteLocale(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("delete-locale", "--tenant T --locale L [flags]", "Delete a per-language localization from the draft.", true)
	a, svc, id, err := f.openBranding(ctx, c, args, map[string]*string{"locale": f.locale})
	if err != nil {
		return err
	}
	defer a.close()
	if err := svc.DeleteLocalization(ctx, id, *f.locale); err != nil {
		if errors.Is(err, branding.ErrNoLocale) {
			return fmt.Errorf("the draft has no %q localization", *f.locale)
		}
		return err
	}
	return a.out.write(a.stdout, map[string]string{"deleted": *f.locale}, fmt.Sprintf("Deleted the %s localization from the draft.\n", *f.locale))
}

func runBrandingReset(ctx context.Context, c *cli, args []string) error {
	return brandingStep(ctx, c, args, "reset", "Remove every custom setting and localization from the draft (publish to make it live).",
		(*branding.Service).Reset, "The draft has Sigil's default branding.\n")
}

func runBrandingPublish(ctx context.Context, c *cli, args []string) error {
	return brandingStep(ctx, c, args, "publish", "Make the draft the branding every sign-in page shows.",
		(*branding.Service).Publish, "Published.\n")
}

func runBrandingDiscard(ctx context.Context, c *cli, args []string) error {
	return brandingStep(ctx, c, args, "discard", "Drop the draft; the published branding stays.",
		(*branding.Service).DiscardDraft, "Draft discarded.\n")
}

// brandingStep runs a tenant-wide branding action without further flags.
func brandingStep(ctx context.Context, c *cli, args []string, name, about string,
	step func(*branding.Service, context.Context, string) error, done string) error {
	f := c.brandingFlags(name, "--tenant T [flags]", about, false)
	a, svc, id, err := f.openBranding(ctx, c, args, nil)
	if err != nil {
		return err
	}
	defer a.close()
	if err := step(svc, ctx, id); err != nil {
		return err
	}
	return a.out.write(a.stdout, map[string]string{"tenant": id, "done": name}, done)
}

func runBrandingPreviewURL(ctx context.Context, c *cli, args []string) error {
	f := c.brandingFlags("preview-url", "--tenant T [flags]",
		"Print the URL that shows the draft on the sign-in page without publishing it. Add ?page=password\n"+
			"for the password page and &ui_locales=de for a localization. It works until the draft is published or discarded.", false)
	a, svc, id, err := f.openBranding(ctx, c, args, nil)
	if err != nil {
		return err
	}
	defer a.close()
	path, err := svc.PreviewPath(ctx, id)
	if err != nil {
		return err
	}
	url := strings.TrimRight(a.cfg.PublicURL, "/") + path
	return a.out.write(a.stdout, map[string]string{"previewUrl": url}, url+"\n")
}

// readInput reads a file, or standard input for "-".
func readInput(c *cli, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(c.stdin, 4<<20))
	}
	return os.ReadFile(name)
}
