namespace FrontDoor.Server.Contacts.ContactingTheCouncil;

/// <summary>The privacy notice and the accessibility statement the resident's form links to from its footer.</summary>
public static class ResidentNotices
{
    public const string Privacy = """
        <main class="govuk-main-wrapper" id="main-content">
          <h1 class="govuk-heading-l">Privacy notice: contacting the council</h1>
          <p class="govuk-body">Cheshire West and Chester Council uses what you tell us on this form to help you. This notice says what we keep, why, who sees it and what you can ask of us.</p>
          <h2 class="govuk-heading-m">What we keep</h2>
          <ul class="govuk-list govuk-list--bullet">
            <li>what you told us you need help with;</li>
            <li>your name, phone number, email address, and your date of birth and postcode if you gave them;</li>
            <li>which teams we passed your message to, what they did and when we checked back with you.</li>
          </ul>
          <h2 class="govuk-heading-m">Why we keep it</h2>
          <p class="govuk-body">To give you the help you asked for, to check back with you, and to keep one record of your contacts with us so that you only have to tell us once. The law that lets us do this is the council's public task and, for care and support, the Care Act 2014.</p>
          <h2 class="govuk-heading-m">Who sees it</h2>
          <p class="govuk-body">The council's contact centre sees what you told us. A team we pass your message to sees your contact details only if you said we may share them with the teams who can help you. If we think you or someone else is at risk of harm, we may share what we need to keep people safe without asking first.</p>
          <h2 class="govuk-heading-m">How long we keep it</h2>
          <p class="govuk-body">Six years from the last time we were in touch about it, after which your details are deleted so that nobody can read them again.</p>
          <h2 class="govuk-heading-m">What you can ask of us</h2>
          <ul class="govuk-list govuk-list--bullet">
            <li>a copy of everything we hold about you;</li>
            <li>to correct anything that is wrong;</li>
            <li>to stop sharing your details with a team, or to share them with another;</li>
            <li>to delete your details, where the law allows.</li>
          </ul>
          <p class="govuk-body">Ask the council's contact centre, quoting your reference if you have one. If you are unhappy with how we have used your information, you can complain to the Information Commissioner's Office.</p>
          <p class="govuk-body"><a class="govuk-link" href="/contact-us">Back to the contact form</a></p>
        </main>
        """;

    public const string Accessibility = """
        <main class="govuk-main-wrapper" id="main-content">
          <h1 class="govuk-heading-l">Accessibility statement: contacting the council</h1>
          <p class="govuk-body">Cheshire West and Chester Council wants as many people as possible to be able to use this form. You should be able to:</p>
          <ul class="govuk-list govuk-list--bullet">
            <li>use it with a keyboard alone, a screen reader or speech recognition;</li>
            <li>zoom in up to 400% without the text spilling off the screen;</li>
            <li>use it without JavaScript.</li>
          </ul>
          <h2 class="govuk-heading-m">How accessible the form is</h2>
          <p class="govuk-body">The form uses the GOV.UK Design System and aims to meet the Web Content Accessibility Guidelines version 2.2 to level AA. Each release is checked in a real browser with an automated accessibility checker.</p>
          <h2 class="govuk-heading-m">If you cannot use the form</h2>
          <p class="govuk-body">Phone the council's contact centre, or visit one of our Let's Talk sites or a welcoming space, and we will take your details there.</p>
          <h2 class="govuk-heading-m">Reporting problems</h2>
          <p class="govuk-body">If you find a problem with this form, tell the council's contact centre. If you are not happy with how we respond, contact the Equality Advisory and Support Service (EASS). The Equality and Human Rights Commission enforces the accessibility regulations.</p>
          <p class="govuk-body"><a class="govuk-link" href="/contact-us">Back to the contact form</a></p>
        </main>
        """;
}
