using System.Text.Encodings.Web;

namespace FrontDoor.Server.Pages;

/// <summary>
/// The one GOV.UK page layout every page is served in: header, service line, styles and scripts by file (never
/// inline, so the CSP holds). A page supplies its title, its main content and its module.
/// </summary>
public static class Layout
{
    /// <summary>Where a staff page's script lists what the signed-in role may open, and the sign-out.</summary>
    private const string StaffMenu = """<nav aria-label="Menu" class="govuk-service-navigation__wrapper fd-hidden" id="staff-nav"><ul class="govuk-service-navigation__list" id="staff-menu"></ul></nav>""";

    /// <summary>The council whose front door this is, named in the header of the pages residents see.</summary>
    public const string Council = "Cheshire West and Chester Council";

    /// <summary>
    /// A page residents see: the council's name in the header, the service's name beside it, and a footer with the
    /// privacy notice and the accessibility statement.
    /// </summary>
    public static string ForResidents(string title, string main) =>
        Render(title, main, homeLink: "/contact-us", serviceLine: "Contact the council", productName: Council, footer: ResidentFooter);

    private const string ResidentFooter = """
          <footer class="govuk-footer">
            <div class="govuk-width-container">
              <div class="govuk-footer__meta">
                <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                  <h2 class="govuk-visually-hidden">Support links</h2>
                  <ul class="govuk-footer__inline-list">
                    <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/contact-us/privacy">Privacy notice</a></li>
                    <li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/contact-us/accessibility">Accessibility statement</a></li>
                  </ul>
                </div>
              </div>
            </div>
          </footer>
        """;

    public static string Render(string title, string main, string? module = null, bool live = false, string homeLink = "/", string serviceLine = "", bool staff = false, string productName = "FrontDoor", string footer = "")
    {
        var e = HtmlEncoder.Default;
        var scripts = (live ? "  <script src=\"/lib/signalr/signalr.min.js\" defer></script>\n" : string.Empty)
            + "  <script type=\"module\" src=\"/js/govuk-init.js\"></script>\n"
            + (module is null ? string.Empty : $"  <script type=\"module\" src=\"{e.Encode(module)}\"></script>\n");
        return $"""
            <!DOCTYPE html>
            <html lang="en" class="govuk-template">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>{e.Encode(title)} – FrontDoor</title>
              <link rel="stylesheet" href="/lib/govuk/govuk-frontend.min.css">
              <link rel="stylesheet" href="/css/frontdoor.css">
            {scripts}</head>
            <body class="govuk-template__body">
              <a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
              <header class="govuk-header" data-module="govuk-header">
                <div class="govuk-header__container govuk-width-container">
                  <div class="govuk-header__logo"><a href="{e.Encode(homeLink)}" class="govuk-header__homepage-link"><span class="govuk-header__product-name">{e.Encode(productName)}</span></a></div>
                </div>
              </header>
              <section class="govuk-service-navigation" aria-label="Service information" data-module="govuk-service-navigation">
                <div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><span class="govuk-service-navigation__text" id="signed-in">{e.Encode(serviceLine)}</span></span>{(staff ? StaffMenu : string.Empty)}</div></div>
              </section>
              <div class="govuk-width-container">
            {main}
              </div>
            {footer}
            </body>
            </html>
            """;
    }
}
