"""Finding and root cause wording for the demo trust, in the voice of a CQC report and a PMO.

Written for the demo only; a real trust imports its own plan.
"""

FINDINGS = {
    "WC": [
        "The trust must ensure there are sufficient numbers of suitably qualified midwives on duty at all times.",
        "The trust must ensure that all staff complete mandatory training, including safeguarding, in line with trust targets.",
        "The trust must ensure that the maternity early warning score is used and escalated correctly.",
        "The trust must ensure that incidents are reported, investigated and learned from in a timely way.",
        "The trust must ensure that cardiotocograph monitoring is reviewed with a 'fresh eyes' approach every hour.",
        "The trust must ensure that emergency equipment is checked daily and records are complete.",
        "The trust must ensure that medicines, including controlled drugs, are stored securely.",
        "The trust must ensure that women are risk assessed at every antenatal contact.",
    ],
    "SC": [
        "The trust must ensure that the five steps to safer surgery checklist is fully completed for every patient.",
        "The trust must ensure that critical care patients are discharged within four hours of the decision.",
        "The trust must ensure that do not attempt cardiopulmonary resuscitation forms are completed correctly.",
        "The trust must ensure that patients at the end of life have individualised care plans.",
        "The trust must ensure that theatre equipment is maintained and serviced on schedule.",
        "The trust must ensure that venous thromboembolism assessments are completed on admission.",
        "The trust should ensure that patients' pain is assessed and recorded regularly.",
        "The trust should ensure that specialist palliative care is available seven days a week.",
    ],
    "UC": [
        "The trust must ensure that children in the emergency department are streamed within 15 minutes of arrival.",
        "The trust must ensure that sepsis screening and treatment are carried out within the hour.",
        "The trust must ensure that patients are assessed by a clinician within 15 minutes of arrival in ED.",
        "The trust must ensure that patients in corridors are cared for safely and with dignity.",
        "The trust must ensure that patients' mental capacity is assessed and recorded where needed.",
        "The trust must ensure that Hospital at Night teams have safe staffing and clear handover.",
        "The trust must ensure that patient flow through minors meets the four-hour standard.",
        "The trust should ensure that fluid balance charts are completed accurately.",
    ],
    "WF": [
        "The trust must ensure sufficient numbers of registered nurses with paediatric competencies in ED.",
        "The trust must ensure staff receive an annual appraisal.",
        "The trust must ensure staff in critical care complete advanced life support training.",
        "The trust must ensure agency and bank staff receive a local induction.",
        "The trust must ensure medical staffing rotas meet national guidance out of hours.",
        "The trust must ensure that staff feel able to raise concerns without fear.",
        "The trust should ensure that recruitment and retention plans address vacancies in hard-to-fill roles.",
        "The trust should ensure that staff have access to health and wellbeing support.",
    ],
    "WL": [
        "The trust must ensure that governance processes give the board assurance about the quality and safety of services.",
        "The trust should ensure the board assurance framework reflects current risks.",
        "The trust should ensure there is a clear strategy for engaging staff in improvement.",
        "The trust should ensure that leaders are visible and approachable.",
    ],
}

ROOT_CAUSES = {
    "WC": [
        "Midwife staffing escalation policy not consistently followed",
        "Acuity tool not completed every shift",
        "Safeguarding level 3 training places not available",
        "MEOWS chart not embedded in electronic record",
        "Incident feedback not shared with reporting staff",
        "Fresh eyes CTG review not prompted by the system",
        "Resuscitaire daily checks not recorded",
        "Controlled drug cupboard key held by several staff",
        "Antenatal risk assessment template incomplete",
        "Band 7 coordinator not supernumerary on nights",
    ],
    "SC": [
        "WHO checklist sign-out step skipped under time pressure",
        "No escalation route for delayed critical care discharges",
        "DNACPR forms not reviewed on ward rounds",
        "End of life care plan not available on all wards",
        "Theatre equipment service log not maintained",
        "VTE assessment not prompted at clerking",
        "Pain scores not documented after analgesia",
        "Palliative care team not funded at weekends",
    ],
    "UC": [
        "No dedicated paediatric streaming nurse at peak times",
        "Sepsis six bundle not started within the hour",
        "Triage nurse drawn into cubicle care",
        "Corridor care standard operating procedure not agreed",
        "Mental capacity assessment form not on the ED system",
        "Hospital at Night handover not structured",
        "Minors cross-cover rota not agreed between departments",
        "Fluid balance charts not totalled at midnight",
        "Ambulance handover delays not escalated",
    ],
    "WF": [
        "Paediatric-trained nurse vacancies in ED not filled",
        "Appraisal compliance not reported by department",
        "ALS course capacity below demand",
        "Local induction checklist not used for temporary staff",
        "Out-of-hours medical rota gaps not escalated",
        "Freedom to Speak Up routes not widely known",
        "Hard-to-fill roles have no retention plan",
        "Wellbeing offer not publicised to night staff",
        "E-rostering not used to plan skill mix",
        "Mandatory training records not reconciled",
    ],
    "WL": [
        "Executive portfolios not aligned to the trust's risks",
        "Vision and strategy not understood by staff",
        "Culture survey results not acted on visibly",
        "Committee structure does not give clear accountability",
        "Risk registers not reviewed at care group level",
        "Performance information not validated before board",
        "Staff and patient engagement not coordinated",
        "Learning from reviews not shared across the trust",
    ],
}

ACTIONS = [
    "Agree the revised procedure with the clinical leads",
    "Brief all staff at safety huddles",
    "Audit compliance weekly for four weeks",
    "Update the electronic record template",
    "Report compliance to the ISG",
]

NARRATIVES = {
    "on_track": [
        "Actions progressing to plan; audit shows improving compliance.",
        "Procedure agreed and briefed at huddles; weekly audit under way.",
        "On plan: training dates booked and attendance tracked.",
    ],
    "at_risk": [
        "Staff availability over Easter has slowed the audit; mitigation agreed.",
        "Dependent on the digital team's template change, not yet scheduled.",
    ],
    "off_track": [
        "Recruitment has not delivered the posts needed; interim cover in place.",
        "Audit shows compliance below target; actions being re-planned.",
    ],
}

KPI_NAMES = {
    "WC": "% of shifts with the planned number of midwives",
    "SC": "% of operations with a fully completed safer surgery checklist",
    "UC": "% of children streamed within 15 minutes of arrival",
    "WF": "% of staff with up-to-date training",
    "WL": "% of committee papers with a completed assurance summary",
}
