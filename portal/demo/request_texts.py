"""What the demo's colleagues write in their requests, and what the desk answers: per
service (by slug), the titles and descriptions people file, the agent's first replies,
the questions an agent asks back (with the requester's answer), and resolution notes.
Pure data; portal/demo/request_history.py picks from it with its own seeded stream, so
rewriting a line never moves the history's shape. Every conversation stays within its
service: no printer on a payroll question."""

from __future__ import annotations

from typing import NamedTuple


class ServiceTexts(NamedTuple):
    requests: list[tuple[str, str]]  # (title, description) as the requester writes them
    replies: list[str]  # the desk's first answer
    asks: list[tuple[str, str]]  # (what the desk asks back, what the requester answers)
    resolutions: list[str]  # the note that resolves it


# First answers that fit any request (a busy desk sends one of these about one time in five).
GENERIC_REPLIES = [
    "Thanks — I am looking at this now.",
    "Got it. I will have an update for you later today.",
    "Thanks for the details, that helps. Working on it.",
    "I have picked this up and will come back to you shortly.",
    "Thanks for raising this. I am on it and will keep you posted here.",
    "Morning! This is with me now — I will update this request as soon as I know more.",
]
# Internal notes between the desk's people (never shown to the requester).
NOTES = [
    "Checked with the supplier: delivery expected in two days.",
    "Similar to last month's request from the same team — reuse the setup.",
    "Needs sign-off from the manager before we go ahead.",
    "Second one of these this week; worth an article if it happens again.",
    "Requester is in workshops most of this week — answer in writing, not by phone.",
    "Asked the team channel in case anyone has seen this before.",
]

TEXTS: dict[str, ServiceTexts] = {
    # IT -----------------------------------------------------------------------------------
    "new-laptop": ServiceTexts(
        requests=[
            (
                "Laptop for new starter in Sales, starting 3rd",
                "Priya joins my team on the 3rd as an account executive. Standard sales laptop "
                "please, with Salesforce and the VPN ready on day one.",
            ),
            (
                "Replacement laptop — battery lasts under an hour",
                "My laptop is four years old and the battery dies within an hour even after a full "
                "charge. I have to sit near a socket in every meeting.",
            ),
            (
                "Laptop upgrade for data modelling work",
                "I now run models in Python that need more memory than my 8 GB laptop has. Could I "
                "get one of the 32 GB machines?",
            ),
            (
                "Laptop fan very loud since Monday's update",
                "Since the update on Monday the fan runs flat out all day, even with only Outlook "
                "open. It is loud enough that people comment on calls.",
            ),
            (
                "Lighter laptop for someone who travels weekly",
                "I am on the road three days a week visiting customers. Is there a lighter model "
                "than the 15-inch one I was given?",
            ),
            (
                "Laptop for a contractor joining for six months",
                "We have a contractor joining for six months from the 14th. She needs a laptop "
                "with access to the design share only.",
            ),
            (
                "Keyboard on my laptop missing keys after coffee spill",
                "I spilt coffee on my laptop yesterday. It still starts but E, R and T no longer "
                "work. Sorry! Can it be swapped?",
            ),
        ],
        replies=[
            "Thanks — I have checked our stock and what the role needs. A laptop can be ready "
            "within two working days; I will confirm the collection time here.",
            "Thanks for the details. I have looked up the machine and its owner in our inventory "
            "and booked the work in; I will update you here.",
        ],
        asks=[
            (
                "Could you confirm the cost centre the laptop should be charged to?",
                "It is cost centre 4410 (Sales UK).",
            ),
            (
                "Which office should we deliver it to, and when is the person in?",
                "London office please, she is in from Monday at 9.",
            ),
        ],
        resolutions=[
            "Done: the laptop is set up with the standard apps and waiting at the service desk on "
            "the ground floor. If it replaces an old one, bring that along and we will move the "
            "files across.",
            "Delivered and signed for. It is enrolled, encrypted and has the standard apps; first "
            "sign-in uses the temporary password we sent by text.",
        ],
    ),
    "device-repair": ServiceTexts(
        requests=[
            (
                "Cracked laptop screen after a fall",
                "My bag slipped off the train seat and the screen now has a crack across the "
                "bottom left corner. Everything still works but it is getting worse.",
            ),
            (
                "Laptop will not charge with any charger",
                "The light on the charger comes on but the battery stays at 3 %. I tried two other "
                "chargers in the office, same result.",
            ),
            (
                "Docking station not detecting monitors on desk 4.12",
                "When I plug into the dock on desk 4.12 the laptop charges but both monitors stay "
                "black. Other people say the same.",
            ),
            (
                "Webcam shows a black image in Teams",
                "The camera light comes on but Teams and the camera app only show black. Started "
                "after yesterday's restart.",
            ),
            (
                "Laptop freezes every afternoon",
                "Around 3 pm every day the laptop freezes for about a minute, the mouse stops and "
                "then everything catches up. It ruins screen-sharing.",
            ),
            (
                "Trackpad clicks on its own",
                "The trackpad registers clicks when I am not touching it, so windows open and "
                "close by themselves. An external mouse works fine.",
            ),
            (
                "Headset microphone crackles on every call",
                "People say my voice breaks up on calls with the company headset. It is fine with "
                "the laptop's own microphone.",
            ),
        ],
        replies=[
            "Sorry to hear that. Bring the device to the service desk and we will look at it while "
            "you wait, or swap it for a loan machine if it needs to go away.",
            "Thanks for the detail. I can see the device in our inventory; I have booked it in for "
            "a repair slot and will confirm the time here.",
        ],
        asks=[
            (
                "Could you send a photo of the damage, or of the error you see?",
                "Photo attached to the e-mail — the crack is in the bottom left.",
            ),
            (
                "Can you leave the device with us overnight, or do you need a loan laptop?",
                "A loan laptop please, I have customer calls tomorrow.",
            ),
        ],
        resolutions=[
            "Repaired and tested: we replaced the faulty part and ran the diagnostics twice. It is "
            "ready at the service desk.",
            "The fault was a driver from the last update; I rolled it back and blocked it on your "
            "machine until the fixed version is out. Let me know if it comes back.",
        ],
    ),
    "mobile-phone": ServiceTexts(
        requests=[
            (
                "Work phone for new field engineer",
                "Tom starts next week as a field engineer and will need a phone with the "
                "scheduling app and a data plan that works abroad.",
            ),
            (
                "Phone screen smashed, need replacement",
                "Dropped my work phone in the car park. The screen is shattered and touch only "
                "works on half of it.",
            ),
            (
                "Move my work number to a new SIM",
                "I got a replacement phone from the supplier but the number is still on the old "
                "SIM. Can the number be moved to an eSIM?",
            ),
            (
                "Roaming not working in Germany",
                "I am in Munich for the week and the phone shows no service. Wi-Fi works. Is "
                "roaming switched on for my line?",
            ),
            (
                "Company e-mail stopped syncing on my phone",
                "Since changing my password Outlook on the phone asks me to sign in and then fails "
                "with an error about device compliance.",
            ),
            (
                "Return phone of colleague who left",
                "Sam left on Friday and handed his phone to me. Who do I give it to and does it "
                "need wiping?",
            ),
            (
                "Bigger data allowance for on-call week",
                "I am on call next week and tether my laptop to the phone. The 5 GB plan ran out "
                "last time by Wednesday.",
            ),
        ],
        replies=[
            "Thanks — I have looked up your line and device on the carrier's portal and in our "
            "inventory, and will sort this out today.",
            "Thanks. This is one we handle often; I will make the change and let you know here "
            "when it is done.",
        ],
        asks=[
            (
                "Could you restart the phone and tell me what the status bar shows afterwards?",
                "Restarted it — it now shows 4G but no data.",
            ),
            (
                "Which number should be moved, and is the old SIM still in your hands?",
                "The number ending 4471, and yes, I still have the old SIM.",
            ),
        ],
        resolutions=[
            "Done: the line and the phone are set up as you asked, and I confirmed it with a test "
            "call. Tell us here if anything still does not work.",
            "All sorted on our side: the carrier has confirmed the change and our phone inventory "
            "is up to date.",
        ],
    ),
    "password-reset": ServiceTexts(
        requests=[
            (
                "Locked out after password change",
                "I changed my password this morning and now it says my account is locked. I cannot "
                "get into e-mail or Teams.",
            ),
            (
                "Reset my VPN password",
                "The VPN keeps rejecting my password even though it works for e-mail. I am working "
                "from home today.",
            ),
            (
                "Authenticator app lost with old phone",
                "I got a new personal phone and the authenticator app did not move across, so I "
                "cannot approve sign-ins any more.",
            ),
            (
                "Password expired while on leave",
                "I am back from three weeks' leave and my password expired. The reset page asks "
                "for a code sent to an old number.",
            ),
            (
                "Locked out of the finance system only",
                "Windows sign-in works but the finance system says my account is disabled after "
                "too many attempts.",
            ),
            (
                "Cannot sign in on first day",
                "First day today and the temporary password from the welcome e-mail does not work "
                "on the laptop I was given.",
            ),
            (
                "Keep getting sign-in prompts every ten minutes",
                "Outlook and Teams ask me to sign in again every few minutes since Friday. I type "
                "the password and it works, then asks again.",
            ),
        ],
        replies=[
            "Thanks — I can see your account and what is blocking the sign-in. I am fixing it now; "
            "please wait a couple of minutes before trying again.",
            "To keep your account safe I need to check it is you first; once that is done the fix "
            "takes a minute.",
        ],
        asks=[
            (
                "Can you confirm your date of birth and staff number so I can verify it is you?",
                "Done — I have sent both by phone to the service desk as you asked.",
            ),
            (
                "Are you able to come to the service desk, or should I call you on Teams?",
                "A Teams call works, I am at home today.",
            ),
        ],
        resolutions=[
            "You are back in. I have also checked your sign-in methods, so next time you can reset "
            "it yourself from the sign-in page.",
            "Sorted: an old saved password on your phone was locking the account. Remove it from "
            "the phone's mail settings and it will not happen again.",
        ],
    ),
    "system-access": ServiceTexts(
        requests=[
            (
                "Access to the Marketing shared drive",
                "I moved from Sales to Marketing this month and need read and write access to the "
                "Marketing campaigns drive.",
            ),
            (
                "Add me to the finance@ shared mailbox",
                "I am covering the finance inbox while Anna is on leave for two weeks. Could I get "
                "access to the shared mailbox?",
            ),
            (
                "Jira access for new contractor",
                "Our contractor needs Jira access to the PAY project only, starting Monday, ending "
                "31 March.",
            ),
            (
                "Salesforce licence for new account manager",
                "Please give Leo a Salesforce Sales Cloud licence with the standard account "
                "manager profile.",
            ),
            (
                "Remove access for someone who changed team",
                "Dan moved to Operations last week and should no longer see the HR case folders.",
            ),
            (
                "Admin rights on the analytics server",
                "I need to install R packages on the analytics server. Can I get the package-"
                "installer role rather than full admin?",
            ),
            (
                "Cannot open the board papers folder",
                "I was added to the leadership group yesterday but the board papers folder still "
                "says access denied.",
            ),
        ],
        replies=[
            "Thanks — access to this needs the owner's approval, so I have asked them through the "
            "system. I will grant it as soon as they approve.",
            "I can see the group that gives this access. I have added you; it can take up to an "
            "hour to reach every system.",
        ],
        asks=[
            (
                "Could you ask your manager to approve this in a reply here?",
                "My manager has approved, see below.",
            ),
            (
                "How long do you need the access for — permanently or until a date?",
                "Until the end of March please, then it can go.",
            ),
        ],
        resolutions=[
            "Access granted. Sign out and back in (or restart) and the folder appears under your "
            "shared drives.",
            "Done and recorded for the next access review; the owner will be asked to re-confirm "
            "it in three months.",
        ],
    ),
    "software-install": ServiceTexts(
        requests=[
            (
                "Install Visio for process mapping",
                "I am mapping our onboarding process and need Visio. Is there a spare licence?",
            ),
            (
                "Can we approve Miro for workshops?",
                "We run remote workshops and the whiteboard in Teams is too limited. Several teams "
                "already pay for Miro personally.",
            ),
            (
                "Python 3.12 and VS Code on my laptop",
                "For the reporting automation project I need Python 3.12 and VS Code. The software "
                "centre only has 3.10.",
            ),
            (
                "Adobe Acrobat Pro to edit contracts",
                "I need to edit and sign PDFs for supplier contracts. The free reader cannot do "
                "it.",
            ),
            (
                "Zoom client for a customer that will not use Teams",
                "A big customer only joins Zoom calls. Can I have the Zoom client installed?",
            ),
            (
                "Software centre install fails with error 0x87D00324",
                "Trying to install Power BI Desktop from the software centre, it fails every time "
                "with error 0x87D00324.",
            ),
            (
                "Update Tableau to the latest version",
                "Our dashboards were built in a newer Tableau and will not open in the version on "
                "my laptop.",
            ),
        ],
        replies=[
            "Thanks — this one is on the approved list, so I have pushed it to your laptop. It "
            "should appear in the software centre within the hour.",
            "This is not on the approved list yet. I have started the review with Security; it "
            "usually takes a few days for well-known software.",
        ],
        asks=[
            (
                "Which team will use it, and roughly how many people?",
                "Just our team of six for now, maybe more next quarter.",
            ),
            (
                "Could you restart the laptop and try the install again, then tell me the error?",
                "Restarted, same error code as before.",
            ),
        ],
        resolutions=[
            "Installed and licensed. You will find it in the start menu; sign in with your work "
            "account the first time.",
            "Approved by Security and added to the software centre for everyone, so your "
            "colleagues can install it themselves too.",
        ],
    ),
    "wifi-vpn": ServiceTexts(
        requests=[
            (
                "VPN keeps disconnecting every 20 minutes",
                "Working from home, the VPN drops every 20 minutes or so and Teams calls freeze. "
                "My home broadband is fine otherwise.",
            ),
            (
                "Wi-Fi drops in meeting room 3B",
                "In room 3B the Wi-Fi drops several times an hour, mid-presentation. Other rooms "
                "on the floor are fine.",
            ),
            (
                "Cannot connect to VPN from hotel",
                "Staying at a hotel in Leeds for training. The VPN says 'connection timed out' on "
                "the hotel Wi-Fi.",
            ),
            (
                "Teams calls choppy on the Wi-Fi by the atrium",
                "Every call I take from the sofas by the atrium freezes and drops. At my desk the "
                "same laptop is fine.",
            ),
            (
                "Slow network on the 4th floor since the weekend",
                "Since Monday everything on the 4th floor is slow: files take ages to open and "
                "video calls are choppy.",
            ),
            (
                "VPN certificate error after laptop rebuild",
                "My laptop was rebuilt last week and now the VPN client says the certificate is "
                "not valid.",
            ),
            (
                "Home printer not found when on VPN",
                "When the VPN is on my laptop cannot see my home printer. I have to disconnect to "
                "print.",
            ),
        ],
        replies=[
            "Thanks — I can see the connection problems in our network logs for the times you "
            "gave, and I am working out the cause now.",
            "Thanks for the details. I have passed this to the network team with the times and the "
            "place; they are looking at it today.",
        ],
        asks=[
            (
                "Could you run the network check from the VPN client menu and send the result?",
                "Done — the report says 'packet loss 12 %' on the last line.",
            ),
            (
                "Which building and floor are you on, and roughly where do you sit?",
                "Building A, 4th floor, near the kitchen.",
            ),
        ],
        resolutions=[
            "Fixed: the cause was a setting on our side, which we changed and tested with you. "
            "Tell us here if the problem comes back.",
            "Resolved — we updated the network configuration and watched the connection for two "
            "days without a drop.",
        ],
    ),
    # HR -----------------------------------------------------------------------------------
    "payslip-question": ServiceTexts(
        requests=[
            (
                "Overtime missing from October payslip",
                "I worked 11 hours of approved overtime in September but none of it is on my "
                "October payslip.",
            ),
            (
                "Tax code looks wrong",
                "My tax code changed from 1257L to BR this month and I paid far more tax. I have "
                "only one job.",
            ),
            (
                "Pension deduction doubled this month",
                "The pension line on this month's payslip is twice what it usually is. I did not "
                "change my contribution.",
            ),
            (
                "Payslip shows old salary after promotion",
                "My promotion was effective 1 November but the payslip still shows my old salary.",
            ),
            (
                "Bank holiday pay missing for shift work",
                "I worked the August bank holiday on shift but it was paid at my normal rate, not "
                "the holiday rate.",
            ),
            (
                "Bonus paid at the wrong rate",
                "My quarterly bonus came through at 5 % instead of the 8 % in my letter.",
            ),
            (
                "Student loan deducted but I finished repaying",
                "I finished repaying my student loan in the summer, but there is still a deduction "
                "on my payslip.",
            ),
        ],
        replies=[
            "Thanks for flagging this. I have pulled your pay record and can see the difference; I "
            "am checking it with the payroll team before the next run.",
            "Thanks — this usually comes from a late change reaching payroll after the cut-off. I "
            "am checking the dates on your record now.",
        ],
        asks=[
            (
                "Could you confirm the dates and hours, and who approved them?",
                "The 12th and 19th of September, 11 hours in total, approved by Hugo.",
            ),
            (
                "Could you send the letter or notice you received, so I can compare?",
                "Sent it to payroll@ just now — the letter from HMRC dated 2nd October.",
            ),
        ],
        resolutions=[
            "Payroll has corrected this: the difference will be paid in this month's run, shown as "
            "an adjustment line on your payslip.",
            "Sorted: payroll has checked and corrected your record, and I have sent you a note "
            "explaining the figures line by line.",
        ],
    ),
    "benefits-enquiry": ServiceTexts(
        requests=[
            (
                "How do I increase my pension contribution?",
                "I would like to pay 8 % instead of 5 % into the pension from next month. How do I "
                "do that?",
            ),
            (
                "Add my partner to private health insurance",
                "We moved in together in the summer. Can my partner be added to the health cover, "
                "and what does it cost?",
            ),
            (
                "Cycle-to-work scheme — is it open now?",
                "I heard the cycle-to-work window opens soon. I would like a bike around £900.",
            ),
            (
                "Dental cover when I work part time",
                "I am moving to four days a week. Does my dental cover change?",
            ),
            (
                "Claim for new glasses through the eye care benefit",
                "My optician says I need glasses for screen work. How do I claim the eye care "
                "allowance?",
            ),
            (
                "Life assurance nomination form",
                "I would like to update who my life assurance should go to. Where is the form?",
            ),
            (
                "Gym discount not applied at sign-up",
                "I signed up at the gym through the benefits site but was charged the full price.",
            ),
        ],
        replies=[
            "Thanks for asking. The short answer is yes — I am checking the details for your "
            "contract type and will send the steps.",
            "Good question. The provider handles this part, so I have asked them and will come "
            "back with their answer.",
        ],
        asks=[
            (
                "Which month would you like the change to start from?",
                "From next month's payroll please.",
            ),
            (
                "Could you confirm your partner's full name and date of birth for the provider?",
                "Sent separately by e-mail to people@ so it stays private.",
            ),
        ],
        resolutions=[
            "All set: the change is in and will show on your next payslip. The provider sends a "
            "confirmation letter to your home address.",
            "Done — the benefits site is updated, and I have sent you the provider's form with the "
            "parts you need to fill in marked.",
        ],
    ),
    "new-hire-onboarding": ServiceTexts(
        requests=[
            (
                "Onboarding for new Finance analyst starting Monday",
                "Amira joins Finance on Monday as an analyst. Contract is signed; we need her "
                "first-day plan, badge and laptop.",
            ),
            (
                "Welcome pack for two graduates in September",
                "Two graduates join the data team on 2 September. Can they get the graduate "
                "induction and buddy setup?",
            ),
            (
                "New starter's contract not yet signed",
                "Our new designer starts in ten days and still has not received the contract to "
                "sign.",
            ),
            (
                "Right-to-work check for new hire",
                "Our new starter is coming in on Thursday with her passport. Who does the right-"
                "to-work check?",
            ),
            (
                "First-week plan for remote starter in Manchester",
                "Our new support engineer works from Manchester. How do we run the first week "
                "remotely?",
            ),
            (
                "Start date moved for new hire",
                "Jordan's start date has moved from the 4th to the 18th. Can you update everything "
                "that was booked?",
            ),
            (
                "Laptop and badge for starter on the 2nd",
                "Our new facilities coordinator starts on the 2nd. Can the laptop and badge be "
                "ready for her first morning?",
            ),
        ],
        replies=[
            "Welcome news! I have opened the onboarding checklist and asked IT and Facilities for "
            "the laptop and badge.",
            "Thanks — I can see the offer in the system. I will send the starter the welcome "
            "e-mail and share the first-day plan with you.",
        ],
        asks=[
            (
                "Could you confirm the start date and who their buddy will be?",
                "Start date is the 14th and Marta will be the buddy.",
            ),
            (
                "Has the new starter returned the signed contract and their bank details?",
                "Yes, both came back yesterday.",
            ),
        ],
        resolutions=[
            "Everything is ready: contract signed, laptop and badge booked for the first morning, "
            "induction on the Tuesday. The first-day plan is in your inbox.",
            "Done — the starter has their welcome e-mail, and the buddy and manager have calendar "
            "invites for the first week.",
        ],
    ),
    "leaver": ServiceTexts(
        requests=[
            (
                "Team member resigned — last day 30th",
                "Chris handed in his notice today. His last day will be the 30th. What do I need "
                "to do?",
            ),
            (
                "End of fixed-term contract for temp",
                "Our temp's contract ends on Friday and will not be extended. Can you arrange the "
                "leaving paperwork?",
            ),
            (
                "Holiday owed to leaver",
                "My colleague leaves next month with six days' holiday left. Will that be paid or "
                "should she take it?",
            ),
            (
                "Exit interview for a leaver in Support",
                "Could HR hold the exit interview for Naomi before she leaves? She would prefer to "
                "talk to someone outside the team.",
            ),
            (
                "Retirement after 25 years — how to mark it",
                "Pat retires in March after 25 years here. Beyond the paperwork, how do we mark it "
                "properly?",
            ),
        ],
        replies=[
            "Thanks for letting us know. I have started the leaver checklist, which tells IT, "
            "Facilities and Payroll the last day.",
            "Thanks — I will confirm the notice period from the contract and send the leaver their "
            "letter.",
        ],
        asks=[
            (
                "Could you confirm the last working day and whether any holiday will be taken?",
                "Last day is the 30th; she takes three days' holiday the week before.",
            ),
        ],
        resolutions=[
            "All done: the leaver letter is sent, final pay includes the untaken holiday, and IT "
            "will collect the laptop on the last afternoon.",
            "The exit interview is booked and the leaver checklist is complete. Thanks for letting "
            "us know early.",
        ],
    ),
    "leave-question": ServiceTexts(
        requests=[
            (
                "How much holiday do I have left?",
                "The leave calendar says 4 days but I count 7. Could you check?",
            ),
            (
                "Carry over holiday into next year",
                "I could not take all my holiday because of the migration project. Can I carry "
                "over five days?",
            ),
            (
                "Shared parental leave — how to apply",
                "My partner and I want to share parental leave from April. What forms do I need?",
            ),
            (
                "Compassionate leave for a family funeral",
                "My grandmother passed away and the funeral is next Tuesday. How much leave can I "
                "take?",
            ),
            (
                "Sick note for last week",
                "I was off sick for six days last week. Where do I send the fit note?",
            ),
            (
                "Unpaid leave for a month abroad",
                "I would like a month of unpaid leave next summer to visit family in Brazil. Is "
                "that possible?",
            ),
            (
                "Time off for jury service",
                "I have been called for jury service in February. Do I keep my pay?",
            ),
        ],
        replies=[
            "Thanks for asking. I have looked at your leave record and will explain the figure "
            "below in a moment.",
            "Thanks — I have checked the policy for this and will send you what applies to you, "
            "and let your manager know.",
        ],
        asks=[
            (
                "Has your manager agreed to the dates?",
                "Yes, she agreed in our one-to-one yesterday.",
            ),
            (
                "Could you upload the fit note or send a photo to people@?",
                "Sent a photo of it to people@ this morning.",
            ),
        ],
        resolutions=[
            "All sorted: your leave record is updated and your manager can see it in the leave "
            "calendar.",
            "Approved and recorded. The policy's details are on the leave page, and your manager "
            "has the dates.",
        ],
    ),
    "contract-change": ServiceTexts(
        requests=[
            (
                "Move from five days to four days a week",
                "I would like to work four days a week from January, Monday to Thursday. My "
                "manager supports it.",
            ),
            (
                "Change of job title after restructure",
                "After the team restructure my role is now Senior Analyst, but my contract still "
                "says Analyst.",
            ),
            (
                "Permanent move to the Manchester office",
                "I am relocating to Manchester in the spring. What changes in my contract?",
            ),
            (
                "Flexible hours: 7 am to 3 pm",
                "I would like to work 7 am to 3 pm for school pick-ups. How do I make a flexible "
                "working request?",
            ),
            (
                "Compressed hours over nine days",
                "Could I work my hours over nine days a fortnight, with every other Friday off?",
            ),
        ],
        replies=[
            "Thanks — this counts as a flexible working request, which we answer within two "
            "months, usually much sooner. I am preparing the change letter.",
            "Thanks. I have checked your current terms and the change looks straightforward; I "
            "will send the draft letter for you to read first.",
        ],
        asks=[
            (
                "Could your manager confirm the new pattern and start date here?",
                "My manager has replied below: Mondays to Thursdays from 6 January.",
            ),
        ],
        resolutions=[
            "Your contract change letter is in your inbox to e-sign. Payroll has the new hours "
            "from the start date.",
            "Done: the new terms are signed and on your record. Your holiday allowance has been "
            "recalculated for the new pattern.",
        ],
    ),
    "employment-letter": ServiceTexts(
        requests=[
            (
                "Employment letter for mortgage application",
                "My mortgage broker needs a letter confirming my salary and permanent employment "
                "by Friday.",
            ),
            (
                "Letter for visa application to Canada",
                "I need a letter for a visitor visa confirming my job, salary and approved leave "
                "dates.",
            ),
            (
                "Reference letter for rental agency",
                "The letting agency wants confirmation of my employment and salary. Their form is "
                "attached to the e-mail.",
            ),
            (
                "Confirmation of employment for nursery funding",
                "The council needs a letter confirming my hours for nursery funding.",
            ),
            (
                "Salary letter in both pounds and euros",
                "My bank in Spain asks for a salary letter showing the amount in euros too.",
            ),
        ],
        replies=[
            "Thanks — I am preparing the letter now from your employment record.",
            "Happy to help. I will use our standard letter and add the details the agency asks "
            "for.",
        ],
        asks=[
            (
                "Should the letter go to you, or straight to the broker or agency?",
                "Straight to the broker please: mortgages@example-broker.co.uk.",
            ),
        ],
        resolutions=[
            "The signed letter is attached to the e-mail we sent you, on letterhead, with salary "
            "and start date.",
            "Sent to the agency directly, and a copy to you for your records.",
        ],
    ),
    # Facilities ---------------------------------------------------------------------------
    "parking-permit": ServiceTexts(
        requests=[
            (
                "Parking permit for new electric car",
                "I have swapped to an electric car. Can I get a permit for a space with a charger?",
            ),
            (
                "Temporary permit while my leg is in plaster",
                "I broke my ankle and cannot take the train for six weeks. Is there a temporary "
                "accessible space?",
            ),
            (
                "Bike space in the secure cage",
                "I have started cycling in three days a week. Is there room in the secure bike "
                "cage?",
            ),
            (
                "Motorbike parking permit",
                "I ride a motorbike to the office. Where can I park it and do I need a permit?",
            ),
            (
                "Permit for visiting contractor's van",
                "Our AV contractor will be on site with a van all next week. Can they get a "
                "permit?",
            ),
            (
                "Car-share permit for two colleagues",
                "Two of us from Finance now share a car from Reading. Can we have one permit for "
                "both of us?",
            ),
            (
                "Renew parking permit expiring this month",
                "My permit expires on the 30th. Do I need to apply again?",
            ),
        ],
        replies=[
            "Thanks — there is space on the list for this, and I have put your name down.",
            "Thanks for the details. I have checked the car park plan and can offer a space; I am "
            "confirming it with reception.",
        ],
        asks=[
            (
                "Could you send the registration number of the vehicle?",
                "It is LK21 XYZ, a blue Kia.",
            ),
            (
                "Which days of the week will you need the space?",
                "Tuesdays, Wednesdays and Thursdays.",
            ),
        ],
        resolutions=[
            "Your permit is ready at reception. The barrier reads your registration from tomorrow "
            "morning.",
            "Done: you have bay 22 on the days you come in. The map and rules are in the parking "
            "article.",
        ],
    ),
    "access-badge-facilities": ServiceTexts(
        requests=[
            (
                "Six visitors from Northwind on Thursday",
                "We host six people from Northwind on Thursday from 10 to 4, in the Thames room. "
                "Lunch will be delivered.",
            ),
            (
                "Interview candidates arriving all day Tuesday",
                "We are interviewing five candidates on Tuesday, one every hour from 9. Could "
                "reception show them up to the 3rd floor?",
            ),
            (
                "Auditors on site for two weeks",
                "The external auditors are here from the 10th for two weeks. They need a room and "
                "visitor passes each day.",
            ),
            (
                "School work-experience student next week",
                "A work-experience student (16) joins us for a week. What do we need to arrange at "
                "reception?",
            ),
            (
                "Customer visit with wheelchair access",
                "Our customer's director uses a wheelchair. Which entrance and lift should we "
                "direct him to?",
            ),
        ],
        replies=[
            "Thanks — I have added the visitors to the reception list and booked the passes.",
            "Noted. Reception will meet them at the main entrance and call you when they arrive.",
        ],
        asks=[
            (
                "Could you send the visitors' names and companies for the list?",
                "Names are in the attached spreadsheet, all from Northwind Ltd.",
            ),
        ],
        resolutions=[
            "All arranged: passes printed, room booked and reception briefed. They will call you "
            "on arrival.",
            "Set up: the step-free entrance on Mill Street is signed for the day and the lift is "
            "reserved from 9:45.",
        ],
    ),
    "building-repair": ServiceTexts(
        requests=[
            (
                "Heating not working on the 2nd floor",
                "The radiators on the west side of the 2nd floor are cold and it is 16 degrees at "
                "our desks.",
            ),
            (
                "Leaking tap in the 3rd floor kitchen",
                "The hot tap in the 3rd floor kitchen drips constantly and there is water under "
                "the sink.",
            ),
            (
                "Flickering lights above desks 5.20–5.24",
                "The ceiling lights above our desks flicker all day. Two people have had "
                "headaches.",
            ),
            (
                "Ladies' toilet on 1st floor out of order",
                "Two of the three toilets in the 1st floor ladies' are blocked.",
            ),
            (
                "Door to the stairwell will not close",
                "The fire door to the east stairwell on floor 4 does not close on its own any "
                "more.",
            ),
            (
                "Air conditioning too cold in the Thames room",
                "The Thames room is freezing even with the control at 23. People wear coats in "
                "meetings.",
            ),
            (
                "Broken blind in meeting room 2A",
                "The blind in 2A is stuck halfway and the sun makes the screen unreadable in the "
                "afternoon.",
            ),
        ],
        replies=[
            "Thanks for reporting it. An engineer is booked to look at it today.",
            "Thanks — I have raised this with our maintenance contractor as a priority job and "
            "will confirm their visit time.",
        ],
        asks=[
            (
                "Could you send a photo so the engineer brings the right parts?",
                "Photo sent to facilities@ — it is the tap on the left.",
            ),
            (
                "Is it still happening this morning, or only in the afternoons?",
                "Still happening now, since about 8 am.",
            ),
        ],
        resolutions=[
            "Fixed: the engineer replaced the faulty part and tested it. Thanks for your patience.",
            "The contractor has repaired it and we have added it to the monthly checks, so it is "
            "looked at before it fails again.",
        ],
    ),
    "desk-setup": ServiceTexts(
        requests=[
            (
                "Workstation assessment — back pain",
                "I have had lower back pain for a few weeks and think my chair and screen height "
                "are the cause.",
            ),
            (
                "Standing desk for medical reasons",
                "My physio recommends I alternate sitting and standing. Could I have a sit-stand "
                "desk?",
            ),
            (
                "Move my team to the 4th floor neighbourhood",
                "The Analytics team (nine people) is moving to the 4th floor. Can the desks be set "
                "up by the 20th?",
            ),
            (
                "Chair broken — will not stay up",
                "My chair slowly sinks to the lowest height during the day.",
            ),
            (
                "Footrest and monitor arm",
                "After the assessment I was told to use a footrest and a monitor arm. Where do I "
                "get them?",
            ),
            (
                "Quiet desk away from the kitchen",
                "I find it hard to concentrate next to the kitchen. Are there desks in a quieter "
                "area?",
            ),
            (
                "Desk for a colleague with low vision",
                "A new colleague with low vision needs a desk near a window with a large screen "
                "and good lighting.",
            ),
        ],
        replies=[
            "Thanks — I have looked at the floor plan and what we have in stock, and will come to "
            "your desk to sort this out.",
            "Thanks for letting us know. We keep a few of these in stock; I am checking which one "
            "suits.",
        ],
        asks=[
            (
                "Which days are you in the office next week, so we can come to your desk?",
                "Tuesday and Thursday, from 9 until 5.",
            ),
            (
                "Could you tell us your desk number?",
                "It is 3.14, next to the window.",
            ),
        ],
        resolutions=[
            "Done: everything is set up at the desk and adjusted with you. Tell us here if "
            "anything is still not comfortable.",
            "All set up and checked. It is noted in your workstation record too, so it follows you "
            "if you move desks.",
        ],
    ),
    "meeting-room": ServiceTexts(
        requests=[
            (
                "Room for 40 for quarterly planning day",
                "We need a room for 40 people on the 12th, 9 to 5, set out in tables of eight, "
                "with lunch.",
            ),
            (
                "Catering for board meeting",
                "The board meets on Wednesday: 12 people, coffee on arrival and a working lunch.",
            ),
            (
                "Leaving drinks in the atrium",
                "We would like to hold leaving drinks for Pat in the atrium on Friday after 5.",
            ),
            (
                "Hybrid setup for town hall in the auditorium",
                "The all-hands on the 8th needs the auditorium with cameras for remote colleagues.",
            ),
            (
                "Room double-booked for our workshop",
                "Our workshop in the Thames room shows another booking on top of ours.",
            ),
            (
                "Vegan and gluten-free lunch for training day",
                "We have a training day for 15 on Tuesday; four vegan and two gluten-free lunches "
                "please.",
            ),
            (
                "Large room every Monday for team stand-up",
                "Could we have a recurring booking for a room for 20, Mondays 9:30 to 10?",
            ),
        ],
        replies=[
            "Thanks — the room is free on that date and I have pencilled it in for you.",
            "Noted. I have asked the caterer for a quote and will confirm the menu.",
        ],
        asks=[
            (
                "How many people are you expecting, and any dietary needs?",
                "About 30, three vegetarian and one nut allergy.",
            ),
            (
                "Do you need the room set up before 9, or is 9 fine?",
                "8:30 would be perfect, we start at 9.",
            ),
        ],
        resolutions=[
            "Booked and confirmed: the room is set up as requested and catering arrives at 12:30. "
            "The AV technician will be there 30 minutes before.",
            "All sorted — the booking is confirmed in the room calendar and the setup team has "
            "your notes.",
        ],
    ),
    "post-deliveries": ServiceTexts(
        requests=[
            (
                "Parcel shown as delivered but not received",
                "The courier says my parcel was delivered to reception yesterday at 2 pm but "
                "nobody can find it.",
            ),
            (
                "Courier for contract to Manchester today",
                "I need signed contracts to reach our Manchester office by tomorrow morning.",
            ),
            (
                "Send 30 sample packs to customers",
                "Marketing needs to send 30 sample packs to customers across the UK next week.",
            ),
            (
                "International shipment of a laptop to our US office",
                "A laptop needs to go to our New York office. What paperwork is needed?",
            ),
            (
                "Post for someone who left",
                "There is still post arriving for a colleague who left in the summer. What should "
                "I do with it?",
            ),
            (
                "Large delivery of brochures arriving Monday",
                "We are expecting 12 boxes of brochures on Monday morning. Where can they be "
                "stored?",
            ),
            (
                "Return faulty monitor to supplier",
                "A monitor we bought arrived broken. The supplier sent a returns label; can post "
                "room collect it?",
            ),
        ],
        replies=[
            "Thanks — I have checked the post room log and the courier's account, and will sort "
            "this out today.",
            "Yes, we can do that. I have booked the courier and will confirm the collection time.",
        ],
        asks=[
            (
                "Could you send the tracking number?",
                "It is JD0002214567891 with the usual courier.",
            ),
            (
                "What are the delivery address and the latest time it must arrive?",
                "Manchester office, 1 Piccadilly, by 10 am tomorrow.",
            ),
        ],
        resolutions=[
            "Done: the post room has handled it and logged it; the details and any tracking link "
            "are in your inbox.",
            "Sent: the courier collected at 3 pm and the tracking link is in your inbox.",
        ],
    ),
    # Finance ------------------------------------------------------------------------------
    "expense-claim": ServiceTexts(
        requests=[
            (
                "Conference travel expenses — Berlin",
                "Train, hotel and meals for the conference in Berlin last week: £842 in total, "
                "receipts attached.",
            ),
            (
                "Client dinner receipts",
                "Dinner with two people from our biggest customer, £186, approved by my director.",
            ),
            (
                "Expense claim rejected without a reason",
                "My claim for the team offsite was rejected, but no reason was given.",
            ),
            (
                "Mileage claim for site visits in October",
                "I drove 420 miles visiting sites in October. How do I claim the mileage?",
            ),
            (
                "Lost receipt for taxi",
                "I lost the receipt for a £38 taxi from the airport. Can I still claim it?",
            ),
            (
                "Expenses not paid after three weeks",
                "My claim was approved on the 2nd but I still have not been paid.",
            ),
            (
                "Home office equipment claim",
                "I bought a keyboard and mouse for working from home, £74. Is that claimable?",
            ),
        ],
        replies=[
            "Thanks — I can see your claim in the expenses system and am checking it against the "
            "policy.",
            "Thanks for sending the receipts. I have matched them to the claim and passed it for "
            "payment.",
        ],
        asks=[
            (
                "Could you upload the itemised receipt rather than the card slip?",
                "Uploaded the itemised one from the restaurant now.",
            ),
            (
                "Who was at the dinner, and what was the business reason?",
                "Two buyers from Northwind; we discussed the renewal.",
            ),
        ],
        resolutions=[
            "Approved and paid: you will see it in your account in the next payment run on "
            "Thursday.",
            "Paid in full. For next time, itemised receipts get approved automatically — the "
            "expenses article shows how.",
        ],
    ),
    "corporate-card": ServiceTexts(
        requests=[
            (
                "Apply for a company credit card",
                "I now travel monthly and book hotels for my team. Can I have a company card?",
            ),
            (
                "Card declined at the hotel",
                "My company card was declined at a hotel in Paris last night; the bank says the "
                "limit is reached.",
            ),
            (
                "Lost company card",
                "I lost my company card on the way home yesterday. Please cancel it.",
            ),
            (
                "Increase card limit for event bookings",
                "We are booking the sales kick-off venue. Could my limit go from £2,000 to £10,000 "
                "for a month?",
            ),
            (
                "Card statement shows a charge I did not make",
                "There is a £249 charge from an online shop I have never used.",
            ),
            (
                "Cancel card of colleague who left",
                "Our team assistant left last month and still has a company card on file.",
            ),
        ],
        replies=[
            "Thanks — I have checked the card account with the bank and will sort this out today.",
            "Thanks for the request. Cards need a budget holder's approval; I have sent the form "
            "to yours.",
        ],
        asks=[
            (
                "Could you confirm the last four digits of the card?",
                "It ends in 3318.",
            ),
        ],
        resolutions=[
            "All sorted with the bank. Any new card goes to the office and takes about five "
            "working days; a cancelled card cannot be used again.",
            "Done: the bank has made the change and confirmed it in writing; the card account "
            "shows it now.",
        ],
    ),
    "invoice-payment": ServiceTexts(
        requests=[
            (
                "Supplier chasing unpaid invoice INV-20931",
                "Brightline Catering say invoice INV-20931 for £1,240 is 40 days overdue.",
            ),
            (
                "Invoice paid twice to the same supplier",
                "It looks like we paid the September invoice from Vantage Print twice.",
            ),
            (
                "Urgent payment for the conference venue",
                "The venue needs the deposit by Friday or we lose the booking.",
            ),
            (
                "Invoice stuck waiting for approval",
                "An invoice for the design agency has waited for approval for two weeks; my name "
                "is on it as approver but I cannot see it.",
            ),
            (
                "Supplier changed bank details",
                "Our cleaning supplier e-mailed new bank details. What is the process?",
            ),
            (
                "Invoice with wrong purchase order number",
                "The translation agency's invoice quotes an old purchase order number.",
            ),
        ],
        replies=[
            "Thanks — I have found the invoice in the payables system and am checking where it is.",
            "Thanks for flagging. I am checking the invoice, the purchase order and the supplier's "
            "record before anything is paid.",
        ],
        asks=[
            (
                "Could you ask the supplier to send the invoice with the right PO number?",
                "They sent the corrected invoice this morning.",
            ),
            (
                "Has the goods receipt been done on the purchase order?",
                "Not yet — I have done it now.",
            ),
        ],
        resolutions=[
            "Paid in today's run; the supplier gets the remittance advice by e-mail.",
            "Resolved: the invoice, purchase order and supplier record now agree, and the payment "
            "goes out in Thursday's run.",
        ],
    ),
    "budget-report": ServiceTexts(
        requests=[
            (
                "Q3 spend against budget for Marketing",
                "Could I have the Q3 spend against budget for cost centre 3100, by category?",
            ),
            (
                "Why is my cost centre overspent?",
                "The report says my team is £12k over budget, but we have not bought anything big.",
            ),
            (
                "Forecast template for next year's budget",
                "Where do I find the template for next year's budget forecast?",
            ),
            (
                "Training spend across the department",
                "How much have we spent on training this year across all Operations cost centres?",
            ),
            (
                "Accruals missing from monthly report",
                "The monthly report does not include the accrual for the consultants' work in "
                "October.",
            ),
            (
                "Monthly budget report to my inbox",
                "Could I get the budget report for my cost centre e-mailed every month?",
            ),
        ],
        replies=[
            "Thanks — I am pulling the figures from the ledger and will send a breakdown.",
            "Good question. I am checking the ledger lines behind the figure and will explain what "
            "I find.",
        ],
        asks=[
            (
                "Which cost centres should the report cover?",
                "3100 and 3110, please.",
            ),
        ],
        resolutions=[
            "The breakdown is attached to the e-mail, with notes on the lines that looked unusual.",
            "Set up: you will get the report on the third working day of each month.",
        ],
    ),
    "new-cost-centre": ServiceTexts(
        requests=[
            (
                "Cost centre for new Customer Success team",
                "We are creating a Customer Success team of six from January and need a cost "
                "centre.",
            ),
            (
                "Project code for the office move",
                "Facilities needs a project code to track spending on the Building B move.",
            ),
            (
                "Close cost centre for a team that merged",
                "The Events team merged into Marketing. Can cost centre 3150 be closed?",
            ),
            (
                "Project code for EU grant",
                "We won an EU research grant and need a code that keeps its spending separate.",
            ),
            (
                "Change budget holder of cost centre 4200",
                "I am taking over cost centre 4200 from Alex, who moved roles.",
            ),
        ],
        replies=[
            "Thanks — I will set this up in the ledger and the expenses system.",
            "Thanks. Changes to cost centres need the finance director's sign-off, which I have "
            "requested.",
        ],
        asks=[
            (
                "Who will be the budget holder, and from which date?",
                "Maria Lopez, from 1 January.",
            ),
        ],
        resolutions=[
            "Created: the new code is live in the ledger, expenses and purchasing from tomorrow.",
            "Done — the budget holder is changed and approvals now route to you.",
        ],
    ),
    "travel-advance": ServiceTexts(
        requests=[
            (
                "Travel advance for three weeks in Singapore",
                "I am working from the Singapore office for three weeks and would like an advance "
                "for hotel and meals.",
            ),
            (
                "Cash advance for trade show in Las Vegas",
                "Our team of four goes to the trade show in Las Vegas; can we have an advance for "
                "booth costs?",
            ),
            (
                "Advance for field research trip",
                "I am visiting customers in rural Scotland where cards are not always taken.",
            ),
            (
                "Repay unused travel advance",
                "I came back with £220 of my advance unspent. How do I pay it back?",
            ),
            (
                "Advance for a new starter's relocation trip",
                "Our new hire travels from Lisbon for a week of onboarding before moving.",
            ),
        ],
        replies=[
            "Thanks — advances of this size need your manager's approval; I have asked them.",
            "Thanks. I am checking the daily rates for the destination and will confirm the "
            "amount.",
        ],
        asks=[
            (
                "Could you send the dates and the estimated costs per day?",
                "The 3rd to the 21st; about £180 a day for hotel and meals.",
            ),
        ],
        resolutions=[
            "Paid into your account today. Please settle it with an expense claim within two weeks "
            "of returning.",
            "Done and recorded against your name; settle it with an expense claim within two weeks "
            "of returning.",
        ],
    ),
    # Legal --------------------------------------------------------------------------------
    "contract-review": ServiceTexts(
        requests=[
            (
                "Review master services agreement with Northwind",
                "Northwind sent their MSA for a three-year deal. They want to sign by the end of "
                "the month.",
            ),
            (
                "Customer wants unlimited liability",
                "A prospect insists on unlimited liability for data breaches. Can we accept?",
            ),
            (
                "Renewal of the office cleaning contract",
                "The cleaning contract renews automatically in 60 days. Anything we should change?",
            ),
            (
                "Partner agreement for reseller in Ireland",
                "We are signing our first reseller in Ireland and have their draft agreement.",
            ),
            (
                "Supplier terms with auto-renewal clause",
                "The new analytics tool's terms renew for three years unless we cancel 90 days "
                "before.",
            ),
        ],
        replies=[
            "Thanks — I have read the first draft. The liability and termination clauses need "
            "changes; I am marking them up now.",
            "Thanks for sending this early. I will review it this week and send our comments in "
            "tracked changes.",
        ],
        asks=[
            (
                "What is the total value of the deal, and what have we promised commercially?",
                "About £240k over three years; the commercial terms are in the proposal.",
            ),
        ],
        resolutions=[
            "Our markup went back to the customer and they accepted it. The final version is ready "
            "to sign in the e-signature tool.",
            "Reviewed and approved with two small changes, both agreed by the supplier. You can "
            "sign.",
        ],
    ),
    "nda": ServiceTexts(
        requests=[
            (
                "NDA for a partner before sharing the roadmap",
                "We want to show our product roadmap to a possible integration partner next week.",
            ),
            (
                "Mutual NDA for acquisition talks",
                "Very early talks with a small company we might acquire. Confidential, please.",
            ),
            (
                "Supplier's NDA — can I sign it?",
                "A supplier sent their own NDA before a demo. Is it OK to sign?",
            ),
            (
                "NDA for a university research project",
                "A university wants to study our anonymised support data under an NDA.",
            ),
            (
                "Extend NDA that expires next month",
                "Our NDA with Vantage expires next month but the talks continue.",
            ),
        ],
        replies=[
            "Thanks — our standard mutual NDA fits here. I am filling it in with the partner's "
            "details.",
            "I have read their NDA: it is one-sided, so I will send ours instead or mark theirs "
            "up.",
        ],
        asks=[
            (
                "Could you send the partner's full legal name and address?",
                "Brightwave Software Ltd, 10 King Street, Bristol.",
            ),
        ],
        resolutions=[
            "The NDA is signed by both sides and stored in the contracts register. You can share "
            "the material now.",
            "Done: the NDA is agreed by both sides, signed and in the contracts register.",
        ],
    ),
    "data-protection": ServiceTexts(
        requests=[
            (
                "Subject access request from a former employee",
                "A former employee asked for all the personal data we hold on them. The e-mail "
                "came in yesterday.",
            ),
            (
                "Can we use customer e-mails for a survey?",
                "Marketing wants to send a satisfaction survey to everyone who bought in the last "
                "year.",
            ),
            (
                "Laptop with customer data stolen",
                "A colleague's laptop was stolen from a car. It had a customer export on it.",
            ),
            (
                "Privacy notice for the new recruitment tool",
                "We start using a new applicant tracking system. Do we need a new privacy notice?",
            ),
            (
                "Sharing staff list with the benefits provider",
                "The new benefits provider needs names, dates of birth and salaries.",
            ),
        ],
        replies=[
            "Thanks for passing this on quickly. I have logged it in the data protection register "
            "and will take you through what happens next.",
            "Good question to ask first. I am checking the legal basis and what the privacy notice "
            "already says.",
        ],
        asks=[
            (
                "Was the laptop encrypted, and do you know exactly which file was on it?",
                "Yes, IT confirms it was encrypted. The file was the October customer list.",
            ),
        ],
        resolutions=[
            "Closed in the register: everything needed was done within the deadlines, and the "
            "notes are on file.",
            "Agreed with conditions, which I have written down for you; the data protection "
            "article has the template to use.",
        ],
    ),
    "legal-advice": ServiceTexts(
        requests=[
            (
                "Competitor copied our marketing copy",
                "A competitor's website uses two paragraphs word for word from our product page.",
            ),
            (
                "Customer threatening legal action",
                "A customer says they will sue over a delayed delivery. What should I say?",
            ),
            (
                "Running a prize draw at the trade show",
                "We want to run a prize draw for visitors at our stand. Any rules?",
            ),
            (
                "Letter from a solicitor about a former contractor",
                "We received a solicitor's letter about unpaid fees to a former contractor.",
            ),
            (
                "Can we record customer calls?",
                "Support wants to record calls for training. What do we need to tell callers?",
            ),
        ],
        replies=[
            "Thanks — please do not reply to them yet. I am reviewing this and will suggest "
            "wording.",
            "Thanks for asking before going ahead. I will send the main rules and a short "
            "checklist.",
        ],
        asks=[
            (
                "Could you forward the letter and any earlier correspondence?",
                "Forwarded everything to legal@ this morning.",
            ),
        ],
        resolutions=[
            "We have sent our response and the matter is closed; keep a copy with your files in "
            "case it comes back.",
            "Terms and checklist agreed; keep a copy with the event files.",
        ],
    ),
    "trademark": ServiceTexts(
        requests=[
            (
                "Can we use the name 'Beacon' for the new product?",
                "Product wants to launch 'Beacon' in the spring. Is the name free to use?",
            ),
            (
                "Register our logo in the US",
                "We are expanding to the US next year. Is our logo registered there?",
            ),
            (
                "Who owns the code a contractor wrote?",
                "A contractor built part of our app. Do we own the code?",
            ),
            (
                "Another company using a similar logo",
                "A small firm uses a logo very like ours in the same market.",
            ),
            (
                "Patent for our scheduling algorithm",
                "Engineering thinks the scheduling algorithm could be patented.",
            ),
        ],
        replies=[
            "Thanks — I have run an initial search in the registers and will share what I find.",
            "Good question. The answer depends on the contract; I am looking it up.",
        ],
        asks=[
            (
                "Which countries and products will the name be used for?",
                "UK, EU and the US, for software and training.",
            ),
        ],
        resolutions=[
            "Done: the searches and filings are complete and the details are in the IP register.",
            "Answered: the contracts and registers are clear on this, and I have written up the "
            "position for you.",
        ],
    ),
    "employment-contract-review": ServiceTexts(
        requests=[
            (
                "Notice period for a senior hire",
                "We are hiring a head of sales. Is a six-month notice period reasonable?",
            ),
            (
                "Non-compete clause for a sales lead leaving",
                "A sales lead is leaving for a competitor. Does her non-compete hold?",
            ),
            (
                "Contract terms for a first remote hire in Spain",
                "We want to hire someone living in Spain. Can we use our UK contract?",
            ),
            (
                "Probation extension for a new starter",
                "A new starter's probation ends next week but I need more time to decide.",
            ),
            (
                "Changing bonus terms for the sales team",
                "We want to change the sales bonus plan. What do we need to do to change "
                "contracts?",
            ),
        ],
        replies=[
            "Thanks — I have read the relevant contract and will give you a view on the clause and "
            "how it is likely to be read.",
            "Thanks. This needs care, so I am checking the contract and the law for the country "
            "first.",
        ],
        asks=[
            (
                "Could you send the signed contract and any later changes?",
                "Attached to the e-mail — the 2022 contract and the 2024 variation.",
            ),
        ],
        resolutions=[
            "Advice sent with the reasons and the risks; HR has the letter template to use.",
            "We agreed a way forward with HR; the wording for the letter is in your inbox.",
        ],
    ),
    # Procurement --------------------------------------------------------------------------
    "purchase-order": ServiceTexts(
        requests=[
            (
                "PO for translation agency — £3,400",
                "We need a purchase order for the agency translating the user guide into German.",
            ),
            (
                "PO for training course for the data team",
                "Five people on an advanced SQL course in March, £4,750.",
            ),
            (
                "Increase PO value for consultants",
                "The consultants' work has grown; the PO needs another £8,000.",
            ),
            (
                "PO for annual conference sponsorship",
                "We are sponsoring the industry conference again; the invoice is due next month.",
            ),
            (
                "Supplier will not start without a PO number",
                "The video production company wants a PO number before they book the crew.",
            ),
        ],
        replies=[
            "Thanks — I have raised the PO and sent it for approval to the budget holder.",
            "Thanks. I can see the supplier is already set up, so this should be quick.",
        ],
        asks=[
            (
                "Could you attach the quote from the supplier?",
                "Quote attached to the e-mail, dated 4 November.",
            ),
        ],
        resolutions=[
            "PO approved and sent to the supplier. Please receipt it in the system when the work "
            "is delivered.",
            "Done: the PO is in place and the supplier has the latest version.",
        ],
    ),
    "new-supplier": ServiceTexts(
        requests=[
            (
                "Set up new supplier: local print shop",
                "We want to use a local print shop for event materials, about £2k a year.",
            ),
            (
                "New freelance designer as a supplier",
                "We want to engage a freelance designer for the rebrand.",
            ),
            (
                "Supplier onboarding for overseas software company",
                "A US software vendor needs setting up before we buy a licence.",
            ),
            (
                "Add a catering company for the Manchester office",
                "The Manchester team needs a catering supplier for client lunches.",
            ),
            (
                "Supplier asks why onboarding takes so long",
                "Our new events agency completed the forms two weeks ago and is still not set up.",
            ),
        ],
        replies=[
            "Thanks — I have sent the supplier our onboarding form and the due-diligence "
            "questions.",
            "Thanks. I am running the usual checks (company details, insurance, bank) and will let "
            "you know.",
        ],
        asks=[
            (
                "Could you ask the supplier to return their insurance certificate?",
                "They sent it this morning, it is in the thread.",
            ),
        ],
        resolutions=[
            "The supplier is approved and set up. You can raise a PO for them now.",
            "All checks passed and they are in the system; finance has verified the bank details "
            "by phone.",
        ],
    ),
    "tender": ServiceTexts(
        requests=[
            (
                "Tender for new office cleaning contract",
                "The cleaning contract ends in June. We want to go out to tender.",
            ),
            (
                "Three quotes for laptop bags",
                "IT needs 300 laptop bags for new starters. Can we get three quotes?",
            ),
            (
                "Run a tender for the new HR system",
                "HR is replacing its system next year, budget around £150k.",
            ),
            (
                "Competitive quotes for the summer party venue",
                "We need a venue for 250 people in July.",
            ),
            (
                "Evaluate bids for the travel agency contract",
                "Four agencies bid for our travel contract. Can you help us score them?",
            ),
        ],
        replies=[
            "Thanks — I have set up the tender timeline and will share a draft requirements "
            "document.",
            "Happy to help. For this value three written quotes are enough; I will contact "
            "suppliers.",
        ],
        asks=[
            (
                "Who should be on the evaluation panel?",
                "Me, Tom from IT and someone from Finance.",
            ),
        ],
        resolutions=[
            "The tender is complete and the panel chose the winning bid. Contract signed; "
            "unsuccessful bidders have been told.",
            "Three quotes received and compared; the recommended supplier is in your inbox with "
            "the comparison.",
        ],
    ),
    "supplier-issue": ServiceTexts(
        requests=[
            (
                "Furniture supplier three weeks late",
                "The desks for the 4th floor were due three weeks ago; the supplier keeps "
                "promising next week.",
            ),
            (
                "Cleaning supplier missing evenings",
                "The cleaners did not come on Tuesday and Thursday this week.",
            ),
            (
                "Agency invoicing above the agreed rate",
                "The recruitment agency charged 25 % when we agreed 18 %.",
            ),
            (
                "Software vendor ending support early",
                "Our survey tool vendor says support ends in three months, not two years.",
            ),
            (
                "Courier keeps damaging parcels",
                "Three parcels this month arrived damaged from the same courier.",
            ),
        ],
        replies=[
            "Thanks — I have raised this with the account manager and asked for a written plan by "
            "Friday.",
            "Thanks for the detail. I am checking the contract for the service levels they agreed.",
        ],
        asks=[
            (
                "Could you list the dates and what went wrong each time?",
                "Tuesday the 4th and Thursday the 6th: no cleaning at all on floor 3.",
            ),
        ],
        resolutions=[
            "The supplier has put it right and agreed a credit, which is recorded against the "
            "contract.",
            "Agreed in writing with the supplier; their next quarterly review will check that it "
            "has stuck.",
        ],
    ),
    "software-purchase": ServiceTexts(
        requests=[
            (
                "Renew Figma licences for the design team",
                "Our 12 Figma licences renew on the 1st. Can we add two more?",
            ),
            (
                "Buy a survey tool subscription",
                "HR wants a survey tool for engagement surveys, about 400 users.",
            ),
            (
                "Reduce unused Salesforce licences",
                "We pay for 15 Salesforce licences nobody has used in three months.",
            ),
            (
                "Annual renewal of the password manager",
                "The team password manager renews next month. Are we happy with the price?",
            ),
            (
                "Buy a transcription tool for research interviews",
                "The research team needs a transcription tool for interviews.",
            ),
        ],
        replies=[
            "Thanks — I have asked the vendor for the renewal quote and checked our usage.",
            "Thanks. I will check whether we already own something that does this before buying.",
        ],
        asks=[
            (
                "Has Security reviewed the tool, or should I start that review?",
                "Not yet, please start it.",
            ),
        ],
        resolutions=[
            "Done, and we negotiated 8 % off the list price. IT has the licence details.",
            "Purchased: the subscription is active and IT has added it to single sign-on.",
        ],
    ),
    "hardware-purchase": ServiceTexts(
        requests=[
            (
                "Camera and lights for the video studio",
                "Comms needs a camera, two lights and a microphone for the new studio room.",
            ),
            (
                "Label printer for the warehouse team",
                "The warehouse team needs a label printer for shipping labels.",
            ),
            (
                "Test devices for the mobile app team",
                "The app team needs four phones (two Android, two iPhone) for testing.",
            ),
            (
                "Replace broken lab fridge",
                "The sample fridge in the lab has stopped keeping temperature.",
            ),
            (
                "Drawing tablets for the design team",
                "Three designers need drawing tablets; IT does not supply them.",
            ),
        ],
        replies=[
            "Thanks — I am getting quotes from our approved suppliers for this.",
            "Thanks. I will check with IT that these can be supported before we order.",
        ],
        asks=[
            (
                "Which budget or cost centre should this go against?",
                "Cost centre 3300, Communications.",
            ),
        ],
        resolutions=[
            "Ordered; delivery is expected next Wednesday to the post room.",
            "Delivered and checked in. The warranty details are in the asset register.",
        ],
    ),
    # Security -----------------------------------------------------------------------------
    "access-badge": ServiceTexts(
        requests=[
            (
                "Badge stopped opening the 3rd floor doors",
                "My badge works at the main entrance but not on the 3rd floor since Monday.",
            ),
            (
                "Lost my access badge on the train",
                "I left my badge on the train home yesterday. Please cancel it and issue a new "
                "one.",
            ),
            (
                "Out-of-hours access for the release weekend",
                "Four of us need building access on Saturday and Sunday for the platform "
                "migration.",
            ),
            (
                "Badge for new starter in Finance",
                "Amira starts Monday and needs a badge for the 2nd floor and the car park.",
            ),
            (
                "Server room access for network engineer",
                "Our new network engineer needs access to the server room.",
            ),
        ],
        replies=[
            "Thanks — I have checked your badge in the access system and can see why it is "
            "refused. Fixing it now.",
            "Thanks. I have cancelled the old badge straight away so nobody else can use it.",
        ],
        asks=[
            (
                "Could you confirm your manager has approved the extra access?",
                "Yes, my manager approved it in a reply above.",
            ),
        ],
        resolutions=[
            "Your badge works again on all the floors you need. Try it on the way back from lunch "
            "and tell us if not.",
            "The new badge is ready at the security desk; bring photo ID to collect it.",
        ],
    ),
    "report-incident": ServiceTexts(
        requests=[
            (
                "Tailgater followed me through the barrier",
                "Someone I did not recognise followed me through the entrance barrier at 8:40 this "
                "morning.",
            ),
            (
                "Sent a customer file to the wrong person",
                "I e-mailed a spreadsheet with customer addresses to the wrong external contact by "
                "mistake.",
            ),
            (
                "Laptop stolen from my car",
                "My work laptop was stolen from my car outside my home overnight. Police reference "
                "to follow.",
            ),
            (
                "Fire exit propped open at the back",
                "The fire exit by the loading bay was propped open with a chair all afternoon.",
            ),
            (
                "USB stick found in the car park",
                "I found a USB stick in the car park with our logo on it. I have not plugged it "
                "in.",
            ),
        ],
        replies=[
            "Thank you for reporting this so quickly — it makes a real difference. I have opened "
            "an incident and we are looking at it now.",
            "Thanks. Please do not try to recall or delete anything yourself; we will take it from "
            "here.",
        ],
        asks=[
            (
                "Could you tell us the time and exactly what was sent or taken?",
                "About 2:15 pm; one spreadsheet with 40 customer names and addresses.",
            ),
        ],
        resolutions=[
            "Incident closed: the risk is dealt with, the lessons are recorded, and the DPO agreed "
            "no further report is needed.",
            "Closed with the actions agreed. Thank you for reporting it so fast.",
        ],
    ),
    "phishing": ServiceTexts(
        requests=[
            (
                "Fake invoice e-mail from 'Finance Director'",
                "I got an e-mail from what looks like our finance director asking me to pay an "
                "invoice urgently.",
            ),
            (
                "Clicked a link in a parcel delivery text",
                "I clicked a link in a text about a missed parcel on my work phone before "
                "realising.",
            ),
            (
                "Suspicious shared document from a supplier",
                "A supplier's account shared a document that asks me to sign in to view it.",
            ),
            (
                "E-mail asking me to confirm my payroll details",
                "An e-mail says my payroll details need confirming via a link.",
            ),
            (
                "Lots of people got the same odd voicemail e-mail",
                "Several of us got an e-mail with a 'voicemail' attachment this morning.",
            ),
        ],
        replies=[
            "Thanks for reporting it — this is phishing. We have removed it from every mailbox "
            "that received it.",
            "Thanks. Please do not open the attachment; we are checking the link and who else got "
            "it.",
        ],
        asks=[
            (
                "Did you enter your password or any details on the page?",
                "I typed my e-mail address but not my password.",
            ),
        ],
        resolutions=[
            "Blocked: the sender and link are blocked company-wide. Your account shows no unusual "
            "sign-ins.",
            "We reset your password as a precaution and checked your sign-ins: nothing unusual. "
            "Well spotted.",
        ],
    ),
    "security-review": ServiceTexts(
        requests=[
            (
                "Security review for new survey tool",
                "HR wants to use a new survey tool that stores staff answers.",
            ),
            (
                "Review data flow to new payroll provider",
                "We are moving payroll to a new provider; data goes nightly by SFTP.",
            ),
            (
                "Pen test before launching the customer portal",
                "The new customer portal goes live in six weeks. Do we need a pen test?",
            ),
            (
                "Supplier security questionnaire to answer",
                "A big customer sent a 200-question security questionnaire with a two-week "
                "deadline.",
            ),
            (
                "Can we use a browser extension for grammar checks?",
                "Several people want a grammar extension. Is it safe with customer e-mails?",
            ),
        ],
        replies=[
            "Thanks — I have sent the vendor our security questionnaire and will review their "
            "certifications.",
            "Thanks for bringing this early. I will book a short call to understand the data "
            "involved.",
        ],
        asks=[
            (
                "What kinds of data will the tool hold, and where is it stored?",
                "Staff names and survey answers, hosted in the EU.",
            ),
        ],
        resolutions=[
            "Approved with conditions: single sign-on on, data kept in the EU, review again in a "
            "year.",
            "Reviewed and signed off; the findings and conditions are in the security register.",
        ],
    ),
    "cctv-request": ServiceTexts(
        requests=[
            (
                "Footage of car park scrape on Tuesday",
                "Someone scraped my car in the car park on Tuesday between 1 and 3 pm.",
            ),
            (
                "Bike stolen from the cycle rack",
                "My bike was taken from the rack at the north entrance on Thursday.",
            ),
            (
                "Delivery left outside overnight",
                "A delivery was left outside the loading bay overnight and some boxes are missing.",
            ),
            (
                "Footage for a police investigation",
                "The police asked for footage of the front entrance on the 3rd between 6 and 8 pm.",
            ),
            (
                "Who entered the stock room on Sunday?",
                "Some stock is missing from the 1st floor stock room since the weekend.",
            ),
        ],
        replies=[
            "Thanks — we keep footage for 30 days, so it is still there. I am reviewing the times "
            "you gave.",
            "Thanks. Footage is only released for incidents, so I will review it and share what we "
            "can.",
        ],
        asks=[
            (
                "Could you give us a narrower time window and your car's registration?",
                "Between 1:30 and 2:30; registration LK21 XYZ.",
            ),
        ],
        resolutions=[
            "We found the moment on camera and shared what the policy allows with the people who "
            "need it.",
            "Footage reviewed and a copy given to the police officer in charge, as the law allows.",
        ],
    ),
    "travel-security": ServiceTexts(
        requests=[
            (
                "Trip to Lagos for a customer workshop",
                "I am travelling to Lagos for a customer workshop next month, four days.",
            ),
            (
                "Travelling to a protest-affected city",
                "There are protests in the city I visit next week. Should I still go?",
            ),
            (
                "Laptop rules for travel to China",
                "I am visiting a supplier in Shenzhen. Can I take my normal laptop?",
            ),
            (
                "Solo travel to a remote site in Peru",
                "I am visiting a remote project site in Peru on my own.",
            ),
            (
                "Emergency contact while travelling",
                "Who do I call if something goes wrong when I am abroad?",
            ),
        ],
        replies=[
            "Thanks for telling us before you go. I will send the country briefing and the "
            "emergency numbers.",
            "Thanks. I am checking the current advice for the country and the dates.",
        ],
        asks=[
            (
                "Could you share your itinerary and hotel?",
                "Flights and hotel booking are attached to the e-mail.",
            ),
        ],
        resolutions=[
            "Briefing done: you are registered with the travel assistance provider and have a "
            "clean loan laptop. Travel safely.",
            "Cleared to travel with the precautions in the briefing. Check in with us when you "
            "land.",
        ],
    ),
    # Communications -----------------------------------------------------------------------
    "intranet-news": ServiceTexts(
        requests=[
            (
                "News story: new Manchester office opening",
                "We open the Manchester office on the 1st. Could we have a story with photos?",
            ),
            (
                "Announce the new expenses system",
                "Finance switches to the new expenses system next month and needs everyone to "
                "know.",
            ),
            (
                "Celebrate the support team's award",
                "Customer Support won a service award last night. Can we share it?",
            ),
            (
                "Fix a mistake in yesterday's news story",
                "Yesterday's story gives the wrong date for the benefits window.",
            ),
            (
                "Weekly IT tips column",
                "IT would like a short weekly tips column on the intranet.",
            ),
        ],
        replies=[
            "Lovely news — I have drafted a story and will send it to you for a check.",
            "Thanks. I have booked it into the news calendar and will share the draft.",
        ],
        asks=[
            (
                "Could you send two or three photos and a quote from the team?",
                "Photos are in the shared folder; a quote from Maria is in the e-mail.",
            ),
        ],
        resolutions=[
            "Published on the intranet home page and in Friday's newsletter.",
            "Live on the intranet, and in the next newsletter.",
        ],
    ),
    "all-hands": ServiceTexts(
        requests=[
            (
                "Slot at the next all-hands for the data team",
                "The data team would like ten minutes at the next all-hands to launch the new "
                "dashboards.",
            ),
            (
                "Plan the year-end town hall",
                "The CEO wants a year-end town hall in December, in person and online.",
            ),
            (
                "Questions for the Q&A at the town hall",
                "Can we collect questions anonymously before the town hall?",
            ),
            (
                "Recording of last week's all-hands",
                "I missed the all-hands last week. Is there a recording?",
            ),
            (
                "Captions for the all-hands stream",
                "Could the live stream have captions? Several colleagues need them.",
            ),
        ],
        replies=[
            "Thanks — there is space in the next agenda. I have pencilled you in for ten minutes.",
            "Great idea. I will set this up and share the plan with you.",
        ],
        asks=[
            (
                "Who will present, and will you have slides?",
                "Lena presents, and yes, five slides.",
            ),
        ],
        resolutions=[
            "Confirmed on the agenda; the run-through is on Tuesday at 4.",
            "Done: it is set up, and the details are on the intranet events page.",
        ],
    ),
    "brand-design": ServiceTexts(
        requests=[
            (
                "Slide template for customer pitch",
                "We pitch to a big customer next week. Is there a current slide template?",
            ),
            (
                "Poster for the wellbeing week",
                "HR needs three posters for wellbeing week in the kitchens.",
            ),
            (
                "Logo files for a partner's website",
                "A partner wants to list us on their website and asked for our logo.",
            ),
            (
                "Design for the recruitment fair stand",
                "We have a stand at the graduate recruitment fair in February.",
            ),
            (
                "E-mail signature with the new logo",
                "Is there a new e-mail signature since the logo change?",
            ),
        ],
        replies=[
            "Thanks — the latest templates are in the brand library; I will send the link and the "
            "files.",
            "Happy to help. I have added this to the design queue and will share a first draft.",
        ],
        asks=[
            (
                "What sizes and formats do you need?",
                "A0 for the stand and A4 for flyers, print-ready PDF.",
            ),
        ],
        resolutions=[
            "Final files are in the shared folder, print-ready.",
            "Sent: the logo pack and the short brand guide for partners.",
        ],
    ),
    "press-enquiry": ServiceTexts(
        requests=[
            (
                "Journalist asked about the office move",
                "A reporter from the local paper phoned me about the office move.",
            ),
            (
                "Podcast invitation for our CTO",
                "An industry podcast has invited our CTO to talk about AI in support.",
            ),
            (
                "Trade magazine wants a customer case study",
                "A trade magazine wants a story about our work with a customer.",
            ),
            (
                "Comment request about a data breach rumour",
                "A journalist e-mailed asking about a 'data breach' at our company.",
            ),
            (
                "Speaking at a conference — approval needed?",
                "I have been asked to speak at a conference. Do I need approval?",
            ),
        ],
        replies=[
            "Thanks for passing this on and for not commenting yourself. I will handle the reply.",
            "Thanks — I will prepare a short briefing and agree the key points with you.",
        ],
        asks=[
            (
                "Could you forward the journalist's contact details and deadline?",
                "Forwarded; their deadline is 5 pm tomorrow.",
            ),
        ],
        resolutions=[
            "We sent a short statement and the article is published.",
            "Approved: briefing done and the interview went well.",
        ],
    ),
    "social-media": ServiceTexts(
        requests=[
            (
                "Post about our charity fun run",
                "Twenty of us ran the charity 10k on Sunday and raised £4,300.",
            ),
            (
                "LinkedIn post for the new graduate scheme",
                "Applications for the graduate scheme open on Monday.",
            ),
            (
                "Can I share our product launch from my account?",
                "Am I allowed to share the launch news on my personal LinkedIn?",
            ),
            (
                "Respond to a complaint on Twitter",
                "A customer is complaining about us publicly on Twitter.",
            ),
            (
                "Schedule posts for the trade show",
                "We would like posts during the three days of the trade show.",
            ),
        ],
        replies=[
            "Love this — I will draft the post and send it to you.",
            "Thanks — I have added it to the social calendar and will share the draft.",
        ],
        asks=[
            (
                "Do we have everyone's consent to use the photos?",
                "Yes, everyone in the photo agreed.",
            ),
        ],
        resolutions=[
            "Posted on LinkedIn and Instagram; it is doing well.",
            "Scheduled for the three days; you will get the links as they go out.",
        ],
    ),
    "leadership-message": ServiceTexts(
        requests=[
            (
                "Message from the COO about the reorganisation",
                "The COO wants to tell operations teams about the new structure.",
            ),
            (
                "Year-end thank-you video from the CEO",
                "The CEO would like a short thank-you video for everyone in December.",
            ),
            (
                "E-mail about the new hybrid working policy",
                "The people director needs to announce the new hybrid working policy.",
            ),
            (
                "Message after a difficult quarter",
                "Our director wants to be honest with the team about a tough quarter.",
            ),
            (
                "Welcome message from the new CFO",
                "Our new CFO starts next week and wants to introduce herself.",
            ),
        ],
        replies=[
            "Thanks — I have drafted a first version with the key points and a warm opening.",
            "Thanks. Let us agree the main message first; I have sent three options.",
        ],
        asks=[
            (
                "When should it go out, and to which teams?",
                "Tuesday at 9, to all operations teams.",
            ),
        ],
        resolutions=[
            "Final version agreed and sent on schedule; replies were positive.",
            "The video is recorded, captioned and published on the intranet.",
        ],
    ),
    # Data & Analytics ---------------------------------------------------------------------
    "dashboard-request": ServiceTexts(
        requests=[
            (
                "Dashboard for weekly support ticket volumes",
                "Support leads want ticket volumes by channel and product every week.",
            ),
            (
                "Sales pipeline dashboard by region",
                "Sales directors want the pipeline by region and stage, updated daily.",
            ),
            (
                "Hiring funnel dashboard for HR",
                "HR would like applicants, interviews and offers by role each month.",
            ),
            (
                "Energy use per office dashboard",
                "Facilities wants to track electricity use per office for the green targets.",
            ),
            (
                "Add churn to the customer health dashboard",
                "Could the customer health dashboard show monthly churn?",
            ),
        ],
        replies=[
            "Thanks — I have the data for most of this already. I will share a first version this "
            "week.",
            "Thanks. We will start with a sketch of the layout to agree the figures first.",
        ],
        asks=[
            (
                "Who will use the dashboard, and which decisions will it help with?",
                "The support leads, for weekly staffing.",
            ),
        ],
        resolutions=[
            "The dashboard is live and refreshes every morning at 7. The link is on your "
            "department page.",
            "Added and checked against last quarter's figures; the definitions are in the info "
            "panel.",
        ],
    ),
    "data-question": ServiceTexts(
        requests=[
            (
                "How many customers used the mobile app last month?",
                "I need the number of customers who used the app at least once in October.",
            ),
            (
                "Average time to first reply for Support in Q3",
                "For the board pack: the average time to first reply in Q3.",
            ),
            (
                "Which products sell most in the North region?",
                "For planning: the top ten products by revenue in the North region.",
            ),
            (
                "Staff turnover rate for last year",
                "HR needs last year's staff turnover by department.",
            ),
            (
                "Repeat purchase rate after the price change",
                "Did repeat purchases drop after the price change in September?",
            ),
        ],
        replies=[
            "Thanks — that is a quick one. I will pull it today.",
            "Good question. I will check the data and explain how I counted.",
        ],
        asks=[
            (
                "Should I count active customers or all accounts?",
                "Active customers only, please.",
            ),
        ],
        resolutions=[
            "The figure and the query behind it are attached to the e-mail.",
            "Answered: a short note with the numbers and a chart is in your inbox.",
        ],
    ),
    "warehouse-access": ServiceTexts(
        requests=[
            (
                "Read access to the sales schema",
                "I want to write my own queries on the sales tables.",
            ),
            (
                "Warehouse access for new analyst",
                "Our new analyst starts Monday and needs read access to the finance schema.",
            ),
            (
                "Connect Excel to the data warehouse",
                "Can I connect Excel to the warehouse instead of exporting CSVs?",
            ),
            (
                "Access to customer personal data tables",
                "For a churn model I need access to tables with customer details.",
            ),
            (
                "SQL training before I get access",
                "Is there training on our warehouse before I start querying?",
            ),
        ],
        replies=[
            "Thanks — I have requested the access; the data owner needs to approve.",
            "Thanks. For personal data we need a data protection check first; I have started it.",
        ],
        asks=[
            (
                "Has your manager confirmed the business need?",
                "Yes, my manager has replied above.",
            ),
        ],
        resolutions=[
            "Access granted. The getting-started guide shows how to connect and the tables to "
            "start with.",
            "Set up with the access the role needs; the data owner will re-confirm it at the next "
            "review.",
        ],
    ),
    "report-fix": ServiceTexts(
        requests=[
            (
                "Revenue figure on the sales dashboard doubled",
                "Since yesterday the sales dashboard shows revenue twice what finance reports.",
            ),
            (
                "Headcount report missing the New York office",
                "The headcount report does not include anyone from New York.",
            ),
            (
                "Support CSAT chart blank since Monday",
                "The satisfaction chart on the support dashboard has been blank since Monday.",
            ),
            (
                "Wrong currency on the EU report",
                "The EU sales report shows figures in pounds, but the labels say euros.",
            ),
            (
                "Weekly report not refreshed",
                "The weekly operations report still shows last week's data.",
            ),
        ],
        replies=[
            "Thanks for spotting it. I can reproduce it and am tracing where the figure goes "
            "wrong.",
            "Thanks — I can see it on our side too and am checking last night's loads and the "
            "report's logic.",
        ],
        asks=[
            (
                "Which report and filter were you using when you saw it?",
                "Sales overview, region set to North, this quarter.",
            ),
        ],
        resolutions=[
            "Fixed: we found the step that went wrong and corrected it; the figures now match the "
            "source.",
            "The data has reloaded and the report is up to date; we added an alert for failed "
            "loads.",
        ],
    ),
    "data-export": ServiceTexts(
        requests=[
            (
                "Export of active customers for the CRM migration",
                "The CRM migration team needs a file of all active customers.",
            ),
            (
                "Monthly file for the benefits provider",
                "The benefits provider needs a monthly file of eligible staff.",
            ),
            (
                "Export of product usage for a partner",
                "A partner wants aggregated product usage for a joint report.",
            ),
            (
                "Survey results export for the research team",
                "The research team wants the raw survey results.",
            ),
            (
                "Data for the annual report",
                "Finance needs headline numbers in a spreadsheet for the annual report.",
            ),
        ],
        replies=[
            "Thanks — I will prepare the file and check it with the data protection team before "
            "sending.",
            "Thanks. I am agreeing the fields with you first, so the file has only what is needed.",
        ],
        asks=[
            (
                "Which fields do you need, and in what format?",
                "Name, account id and region, as CSV.",
            ),
        ],
        resolutions=[
            "The file is in the secure transfer folder; the link expires in seven days.",
            "Delivered and scheduled monthly; the first run went through cleanly.",
        ],
    ),
    "metric-definition": ServiceTexts(
        requests=[
            (
                "What counts as an 'active user'?",
                "Two reports show different active user numbers. Which definition is right?",
            ),
            (
                "How is net revenue retention calculated?",
                "The board pack uses net revenue retention. How is it worked out?",
            ),
            (
                "Definition of 'resolved' in the support stats",
                "Does 'resolved' include tickets reopened later?",
            ),
            (
                "Where does the headcount number come from?",
                "Is headcount taken from HR's system or from payroll?",
            ),
            (
                "Why does conversion rate differ between dashboards?",
                "Marketing's and Sales' dashboards show different conversion rates.",
            ),
        ],
        replies=[
            "Good question — the two reports use different definitions. I am writing up both.",
            "Thanks. I will check the source and the calculation in the data model.",
        ],
        asks=[
            (
                "Which dashboard were you comparing against?",
                "The Marketing funnel dashboard.",
            ),
        ],
        resolutions=[
            "The definition is now in the metrics glossary, linked from both dashboards.",
            "Answered in the glossary, with an example calculation.",
        ],
    ),
    # Customer Support ---------------------------------------------------------------------
    "customer-escalation": ServiceTexts(
        requests=[
            (
                "Key customer cannot log in since this morning",
                "Northwind's whole team cannot sign in since 8 am and they have a launch today.",
            ),
            (
                "Customer charged twice for renewal",
                "A long-standing customer was charged twice for the annual renewal.",
            ),
            (
                "Enterprise customer unhappy with response times",
                "A big customer says our support takes too long and is considering leaving.",
            ),
            (
                "Data missing after customer's import",
                "After importing their data yesterday, a customer is missing half their records.",
            ),
            (
                "Customer's integration broken by our release",
                "Since Tuesday's release the customer's integration returns errors.",
            ),
        ],
        replies=[
            "Thanks — I have opened a priority case and the on-call engineer is looking at it now.",
            "Thanks for escalating. I will call the customer today to understand the impact.",
        ],
        asks=[
            (
                "Could you send the customer's account id and the main contact?",
                "Account 10442; the contact is their operations manager.",
            ),
        ],
        resolutions=[
            "Resolved: the cause was found and fixed, and the customer confirmed all is well.",
            "Closed with the customer: a follow-up call is booked to review what happened.",
        ],
    ),
    "refund-approval": ServiceTexts(
        requests=[
            (
                "Goodwill credit after last week's outage",
                "A customer lost half a day to the outage. I would like to offer a month's credit.",
            ),
            (
                "Refund for a course the customer could not attend",
                "The customer's trainer was ill and missed the course.",
            ),
            (
                "Partial refund for an unused licence",
                "A customer bought 20 licences but only ever used 12.",
            ),
            (
                "Refund for an accidental upgrade",
                "A customer upgraded by mistake and asked within two days.",
            ),
            (
                "Credit for a late delivery",
                "The hardware arrived a week late and the customer missed their go-live.",
            ),
        ],
        replies=[
            "Thanks — this is within the goodwill policy. I am checking the account history.",
            "Thanks. This amount needs a manager's approval, which I have requested.",
        ],
        asks=[
            (
                "What amount are you proposing, and has the customer asked for it?",
                "£450, and yes, they asked on the phone.",
            ),
        ],
        resolutions=[
            "Approved and processed; the customer sees it on their next invoice.",
            "Refund issued; the customer has the confirmation e-mail.",
        ],
    ),
    "product-feedback": ServiceTexts(
        requests=[
            (
                "Customer asks for bulk export of reports",
                "Three customers this month asked to export all reports at once.",
            ),
            (
                "Mobile app too slow on older phones",
                "A customer with older phones says the app takes 20 seconds to open.",
            ),
            (
                "Confusing wording on the billing page",
                "Customers keep asking what 'prorated adjustment' means on their invoice.",
            ),
            (
                "Dark mode request from several customers",
                "Several customers asked for a dark mode in the web app.",
            ),
            (
                "Accessibility issue with the date picker",
                "A customer who uses a screen reader cannot pick dates in the booking form.",
            ),
        ],
        replies=[
            "Thanks — I have logged it with the product team and linked the other requests.",
            "Thanks. This is useful; I will share it at the next product review.",
        ],
        asks=[
            (
                "Could you name the customers who asked, so product can follow up?",
                "Northwind, Brightwave and Vantage.",
            ),
        ],
        resolutions=[
            "Product added this to the roadmap for next quarter and will update the customers.",
            "Logged and shared with the product team, who will reply to the customers directly.",
        ],
    ),
    "help-article": ServiceTexts(
        requests=[
            (
                "Help article shows the old menu",
                "The article on exporting data shows the old menu from before the redesign.",
            ),
            (
                "No article on setting up single sign-on",
                "Customers keep asking how to set up single sign-on; there is no article.",
            ),
            (
                "Broken link in the billing FAQ",
                "The link to the pricing page in the billing FAQ is broken.",
            ),
            (
                "Article too technical for new customers",
                "New customers find the getting-started article hard to follow.",
            ),
            (
                "Translate top articles into German",
                "Our German customers ask for the top ten articles in German.",
            ),
        ],
        replies=[
            "Thanks — I have checked the article against the product and will make the change this "
            "week.",
            "Thanks. I will draft a new article and send it to you for a review.",
        ],
        asks=[
            (
                "Could you send the link to the article?",
                "It is the 'Export your data' article in the Reports section.",
            ),
        ],
        resolutions=[
            "The article is updated and published.",
            "New article live, and linked from the settings page.",
        ],
    ),
    "customer-training": ServiceTexts(
        requests=[
            (
                "Training for Northwind's new admins",
                "Northwind has four new admins and wants a two-hour session.",
            ),
            (
                "Onsite training day in Leeds",
                "A customer in Leeds would like a full training day at their office.",
            ),
            (
                "Webinar for all customers on the new release",
                "Could we run a webinar on the new release for all customers?",
            ),
            (
                "Refresher training after low adoption",
                "A customer's team barely uses the product after six months.",
            ),
            (
                "Training in Spanish for the Madrid team",
                "Our customer's Madrid team would prefer the training in Spanish.",
            ),
        ],
        replies=[
            "Thanks — I have a trainer free next week and will offer the customer some dates.",
            "Happy to. I will send the agenda and check what the customer wants to cover.",
        ],
        asks=[
            (
                "How many people will attend, and online or in person?",
                "Six people, online.",
            ),
        ],
        resolutions=[
            "Training delivered; the recording and slides went to the customer.",
            "Session booked and confirmed with the customer; the trainer has the brief.",
        ],
    ),
    "support-insights": ServiceTexts(
        requests=[
            (
                "Top ten reasons customers contact us about billing",
                "Finance wants to know why customers contact support about billing.",
            ),
            (
                "Support trends for the mobile app",
                "The app team wants the main complaint themes for the last quarter.",
            ),
            (
                "Tickets about the new onboarding flow",
                "How many tickets mention the new onboarding flow since launch?",
            ),
            (
                "Monthly support summary for the product team",
                "Could the product team get a monthly summary of support themes?",
            ),
            (
                "Customer sentiment after the price change",
                "What have customers said to support about the new prices?",
            ),
        ],
        replies=[
            "Thanks — I will pull the ticket tags for the period and group them into themes.",
            "Thanks. I will share the numbers with a few anonymised examples.",
        ],
        asks=[
            (
                "Which period should the summary cover?",
                "The last three months, please.",
            ),
        ],
        resolutions=[
            "The summary is attached with the numbers and examples.",
            "Set up as a monthly report for the team.",
        ],
    ),
}
