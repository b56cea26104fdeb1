#pragma once
// The app's own words on the pupil's screens (the survey brings its own questions), in each
// language the app has been translated to. A survey language the app has no translation for gets
// English for these few words, with the survey's own text around them.
//
// Translations: English is the source, written for a reading age of about 9. Polish is our own
// translation and, like the Polish of the bilingual sample survey, needs a native speaker's check
// before a school uses it.
#include <string>

namespace tt::kiosk::ui {

enum class UiText {
  Start,
  Next,
  Back,
  RatherNotSay,
  ChooseToGoOn,
  TapTheLetters,
  Space,
  Delete,
  Yes,
  No,
  FaceVerySad,
  FaceSad,
  FaceOk,
  FaceHappy,
  FaceVeryHappy,
  TextSize1,
  TextSize2,
  TextSize3,
  HighContrast,
  NormalColours,
  NoticeWhy,
  NoticeWhoReads,
  NoticeSafe,
  NoticeSkip,
  WelcomeBack,
  ThankYou,
  TalkToSomeone,
  Done,
  SchoolContact,  // followed by the school's contact
  StillThere,
  StillThereClosing,  // "… in %d seconds."  (the number is put in by the caller)
  StillThereSaved,
  StillHere,
  Count
};

// The text in `language` (a BCP 47 tag such as "pl"), else in English.
const char* ui_text(UiText key, const std::string& language);
// StillThereClosing with the seconds filled in.
std::string still_there_closing(int seconds, const std::string& language);
// Whether the app has its own words in `language` (English always).
bool has_ui_translation(const std::string& language);

}  // namespace tt::kiosk::ui
